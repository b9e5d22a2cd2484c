package org.ailtire.swarm.stack;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.ailtire.stack.RegistryAuth;
import org.ailtire.stack.RegistryCredential;
import org.ailtire.stack.UpdateInProgressException;
import org.ailtire.swarm.registry.Distribution;
import org.ailtire.swarm.registry.Resolution;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/**
 * Auto-redeploy asks a watched service's registry for its tag at each tick and refreshes the service only when the
 * tag points to another digest than it runs. Ticks are run by hand: no clock, no waiting.
 */
class AutoRedeployTest {
    private static final String OLD = "sha256:" + "a".repeat(64);
    private static final String NEW = "sha256:" + "b".repeat(64);
    private static final RegistryCredential CREDENTIAL = new RegistryCredential("ci", "secret");
    private static final RegistryAuth AUTH = new RegistryAuth(Map.of("registry.example.com", CREDENTIAL));

    private final ManualTimers timers = new ManualTimers();
    /** What the fake registry answers, by the tag asked. */
    private final Map<String, Resolution> registry = new ConcurrentHashMap<>();
    private final List<String> asked = new CopyOnWriteArrayList<>();
    private final Map<String, String> running = new ConcurrentHashMap<>();
    private final List<String> refreshed = new CopyOnWriteArrayList<>();
    private RuntimeException refusal;

    private final Distribution distribution = (image, credential) -> {
        asked.add(image.text() + credential.map(c -> " as " + c.username()).orElse(""));
        Resolution answer = registry.get(image.text());
        if (answer == null) {
            throw new IllegalStateException("registry unreachable");
        }
        return answer;
    };
    private final AutoRedeploy autoRedeploy = new AutoRedeploy("/shop", distribution, () -> Map.copyOf(running),
            service -> {
                if (refusal != null) {
                    throw refusal;
                }
                refreshed.add(service);
            }, timers);

    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();

    @AfterEach
    void close() {
        autoRedeploy.close();
        ((Logger) LoggerFactory.getLogger(AutoRedeploy.class)).detachAppender(logs);
    }

    private List<String> warnings() {
        return logs.list.stream().filter(e -> e.getLevel() == Level.WARN).map(ILoggingEvent::getFormattedMessage)
                .toList();
    }

    private static AutoRedeploy.Watched watched(String service, String image, String interval) {
        return new AutoRedeploy.Watched(service, image, Duration.parse("PT" + interval));
    }

    private void arm(AutoRedeploy.Watched... services) {
        autoRedeploy.arm(() -> new AutoRedeploy.Watch(List.of(services), AUTH));
    }

    @Test
    void aMovedTagRefreshesThatServiceOnceAndAnUnmovedOneNone() {
        running.put("web", "registry.example.com/shop/web:stable@" + OLD);
        running.put("api", "registry.example.com/shop/api:stable@" + OLD);
        registry.put("registry.example.com/shop/web:stable", new Resolution.Digest(NEW));
        registry.put("registry.example.com/shop/api:stable", new Resolution.Digest(OLD));
        arm(watched("web", "registry.example.com/shop/web:stable", "5M"),
                watched("api", "registry.example.com/shop/api:stable", "1H"));

        assertThat(timers.active()).extracting(ManualTimers.Timer::interval)
                .containsExactlyInAnyOrder(Duration.ofMinutes(5), Duration.ofHours(1));
        timers.tickAll();

        assertThat(refreshed).containsExactly("web");
        assertThat(asked).as("each tag asked with the applied request's credentials for its registry")
                .containsExactlyInAnyOrder("registry.example.com/shop/web:stable as ci",
                        "registry.example.com/shop/api:stable as ci");

        running.put("web", "registry.example.com/shop/web:stable@" + NEW);
        timers.tickAll();
        assertThat(refreshed).as("it runs the new digest now").containsExactly("web");
    }

    @Test
    void aFailingOrRefusingRegistryRefreshesNothingAndTheTimerGoesOn() {
        running.put("web", "registry.example.com/shop/web:stable@" + OLD);
        arm(watched("web", "registry.example.com/shop/web:stable", "1M"));

        assertThatCode(timers::tickAll).as("unreachable").doesNotThrowAnyException();
        registry.put("registry.example.com/shop/web:stable", new Resolution.Refused("the registry refused"));
        timers.tickAll();
        registry.put("registry.example.com/shop/web:stable", new Resolution.Unresolved("no answer"));
        timers.tickAll();
        assertThat(refreshed).isEmpty();
        assertThat(timers.active()).hasSize(1);

        registry.put("registry.example.com/shop/web:stable", new Resolution.Digest(NEW));
        timers.tickAll();
        assertThat(refreshed).containsExactly("web");
    }

    @Test
    void aFailingRegistryIsWarnedOfOnceUntilItAnswersAgain() {
        logs.start();
        ((Logger) LoggerFactory.getLogger(AutoRedeploy.class)).addAppender(logs);
        running.put("web", "registry.example.com/shop/web:stable@" + OLD);
        arm(watched("web", "registry.example.com/shop/web:stable", "1M"));

        timers.tickAll();
        timers.tickAll();
        registry.put("registry.example.com/shop/web:stable", new Resolution.Unresolved("no answer"));
        timers.tickAll();
        assertThat(warnings()).singleElement().asString().contains("web").contains("registry unreachable")
                .contains("asked again every 1m");

        registry.put("registry.example.com/shop/web:stable", new Resolution.Digest(OLD));
        timers.tickAll();
        registry.remove("registry.example.com/shop/web:stable");
        timers.tickAll();
        assertThat(warnings()).as("failing again after it answered is a new state").hasSize(2);
        assertThat(refreshed).isEmpty();
    }

    @Test
    void aRunningUpdateOrAShutdownPutsTheRefreshOffToTheNextTick() {
        running.put("web", "registry.example.com/shop/web:stable@" + OLD);
        registry.put("registry.example.com/shop/web:stable", new Resolution.Digest(NEW));
        arm(watched("web", "registry.example.com/shop/web:stable", "1M"));

        refusal = new UpdateInProgressException("u-1");
        assertThatCode(timers::tickAll).doesNotThrowAnyException();
        refusal = new IllegalStateException("stack shop is shutting down");
        assertThatCode(timers::tickAll).doesNotThrowAnyException();
        refusal = null;
        timers.tickAll();

        assertThat(refreshed).containsExactly("web");
        assertThat(timers.active()).hasSize(1);
    }

    @Test
    void aServiceThatRunsAnotherImageOrNoDigestIsLeftAlone() {
        registry.put("registry.example.com/shop/web:stable", new Resolution.Digest(NEW));
        arm(watched("web", "registry.example.com/shop/web:stable", "1M"));

        timers.tickAll();
        running.put("web", "registry.example.com/shop/web:stable");
        timers.tickAll();
        running.put("web", "registry.example.com/shop/web:old@" + OLD);
        timers.tickAll();

        assertThat(refreshed).as("not observed yet, unpinned, another tag").isEmpty();
    }

    @Test
    void armingANewDefinitionDropsAServiceThatNoLongerOptsInAndKeepsAnUnchangedTimer() {
        running.put("web", "registry.example.com/shop/web:stable@" + OLD);
        running.put("api", "registry.example.com/shop/api:stable@" + OLD);
        registry.put("registry.example.com/shop/web:stable", new Resolution.Digest(NEW));
        registry.put("registry.example.com/shop/api:stable", new Resolution.Digest(NEW));
        arm(watched("web", "registry.example.com/shop/web:stable", "5M"),
                watched("api", "registry.example.com/shop/api:stable", "5M"));
        List<ManualTimers.Timer> before = timers.active();

        arm(watched("api", "registry.example.com/shop/api:stable", "5M"));

        assertThat(timers.all).as("api keeps its timer").hasSize(2);
        ManualTimers.Timer api = timers.active().getFirst();
        assertThat(timers.active()).containsExactly(api);
        assertThat(before).contains(api);
        timers.tickAll();
        assertThat(refreshed).containsExactly("api");

        arm(watched("api", "registry.example.com/shop/api:stable", "10M"));
        assertThat(api.cancelled).isTrue();
        assertThat(timers.active()).singleElement().extracting(ManualTimers.Timer::interval)
                .as("a changed interval is a new timer").isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void nothingIsArmedOrRefreshedOnceClosed() {
        running.put("web", "registry.example.com/shop/web:stable@" + OLD);
        registry.put("registry.example.com/shop/web:stable", new Resolution.Digest(NEW));
        arm(watched("web", "registry.example.com/shop/web:stable", "1M"));
        List<ManualTimers.Timer> armed = timers.active();

        autoRedeploy.close();
        armed.forEach(timer -> timer.task.run());
        arm(watched("web", "registry.example.com/shop/web:stable", "1M"));

        assertThat(timers.closed).isTrue();
        assertThat(timers.active()).isEmpty();
        assertThat(refreshed).isEmpty();
        assertThat(asked).isEmpty();
    }

    @Test
    void aWatchThatCannotBeReadArmsNothingAndKeepsWhatWasArmed() {
        arm(watched("web", "registry.example.com/shop/web:stable", "1M"));
        assertThatCode(() -> autoRedeploy.arm(() -> {
            throw new IllegalStateException("history unreadable");
        })).doesNotThrowAnyException();
        assertThat(timers.active()).hasSize(1);
    }

    /** Timers whose ticks the test runs; arming runs at once. */
    private static final class ManualTimers implements AutoRedeploy.Timers {
        static final class Timer {
            private final Duration interval;
            private final Runnable task;
            private volatile boolean cancelled;

            Timer(Duration interval, Runnable task) {
                this.interval = interval;
                this.task = task;
            }

            Duration interval() {
                return interval;
            }
        }

        final List<Timer> all = new ArrayList<>();
        volatile boolean closed;

        @Override
        public synchronized Runnable every(Duration interval, Runnable task) {
            Timer timer = new Timer(interval, task);
            all.add(timer);
            return () -> timer.cancelled = true;
        }

        @Override
        public void execute(Runnable task) {
            if (!closed) {
                task.run();
            }
        }

        @Override
        public void close() {
            closed = true;
        }

        synchronized List<Timer> active() {
            return all.stream().filter(t -> !t.cancelled).toList();
        }

        void tickAll() {
            active().forEach(timer -> timer.task.run());
        }
    }
}
