package org.ailtire.swarm.drift;

import com.github.dockerjava.api.model.ContainerSpec;
import com.github.dockerjava.api.model.ServiceModeConfig;
import com.github.dockerjava.api.model.ServiceReplicatedModeOptions;
import com.github.dockerjava.api.model.ServiceSpec;
import com.github.dockerjava.api.model.TaskSpec;
import org.ailtire.stack.RegistryAuth;
import org.ailtire.stack.StackEvent;
import org.ailtire.stack.StackEvents;
import org.ailtire.swarm.Labels;
import org.ailtire.swarm.convert.StackResources;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class DriftWatchTest {
    private static final DriftWatch.Timing FAST = new DriftWatch.Timing(Duration.ofMillis(20), Duration.ofMillis(200),
            Duration.ofSeconds(30), Duration.ofMillis(50), Duration.ofMillis(300), Duration.ofMillis(600));
    private static final StackResources TARGET = new StackResources("shop", List.of(), List.of(), List.of(), List.of());

    private final AtomicReference<EngineObjects> engine = new AtomicReference<>(objects(1));
    private final AtomicInteger reads = new AtomicInteger();
    private final StackEvents events = new StackEvents(Clock.systemUTC(), 100);
    private final List<Drift> repairsAsked = new CopyOnWriteArrayList<>();
    private final List<CompletableFuture<Boolean>> repairs = new CopyOnWriteArrayList<>();
    private volatile boolean busy;
    private DriftWatch watch;

    private static EngineObjects objects(int replicas) {
        ServiceSpec web = new ServiceSpec().withName("shop_web").withLabels(Map.of(Labels.KEY, "web"))
                .withTaskTemplate(new TaskSpec().withContainerSpec(new ContainerSpec().withImage("busybox")))
                .withMode(new ServiceModeConfig().withReplicated(new ServiceReplicatedModeOptions().withReplicas(replicas)));
        return new EngineObjects(Map.of("shop_web", ServiceFacts.of(web)), Set.of("shop_default"), Set.of(), Set.of());
    }

    private DriftWatch watch(DriftMode mode) {
        watch = new DriftWatch("shop", () -> {
            reads.incrementAndGet();
            return engine.get();
        }, mode, events, () -> { }, this::startRepair, Clock.systemUTC(), FAST);
        return watch;
    }

    private Optional<CompletionStage<Boolean>> startRepair(DriftWatch.Applied applied, Drift drift) {
        if (busy) {
            return Optional.empty();
        }
        repairsAsked.add(drift);
        CompletableFuture<Boolean> outcome = new CompletableFuture<>();
        repairs.add(outcome);
        return Optional.of(outcome);
    }

    @AfterEach
    void close() {
        if (watch != null) {
            watch.close();
        }
    }

    private List<String> eventTexts() {
        return events.all().stream().map(e -> e.action() + " " + e.result() + " " + e.detail()).toList();
    }

    @Test
    void nothingIsComparedBeforeAnApplySucceeded() throws Exception {
        DriftWatch watch = watch(DriftMode.REPAIR);
        engine.set(objects(3));
        watch.observed();
        watch.resume(null, RegistryAuth.NONE); // a failed first update

        Thread.sleep(150);
        assertThat(watch.current().isEmpty()).isTrue();
        assertThat(reads).hasValue(0);
        assertThat(repairsAsked).isEmpty();
    }

    @Test
    void aDriftIsReportedAndRepairedOnce() {
        DriftWatch watch = watch(DriftMode.REPAIR);
        watch.resume(TARGET, RegistryAuth.NONE);
        engine.set(objects(3));
        watch.observed();

        await().atMost(Duration.ofSeconds(5)).until(() -> repairsAsked.size() == 1);
        assertThat(watch.current().describe()).isEqualTo("drifted: service web scaled to 3 (definition: 1)");
        assertThat(watch.rewrites()).containsExactly("shop_web");
        assertThat(eventTexts()).containsExactly("drift seen service web scaled to 3 (definition: 1)");

        // The repair applies (paused), succeeds, and what it left is compared with from then on.
        watch.pause();
        engine.set(objects(1));
        watch.resume(TARGET, RegistryAuth.NONE);
        repairs.get(0).complete(true);
        assertThat(watch.current().isEmpty()).isTrue();
        watch.observed();
        await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(2)).until(() -> repairsAsked.size() == 1);
    }

    @Test
    void reportOnlyChangesNothing() {
        DriftWatch watch = watch(DriftMode.REPORT);
        watch.resume(TARGET, RegistryAuth.NONE);
        engine.set(objects(2));
        watch.observed();

        await().atMost(Duration.ofSeconds(5)).until(() -> !watch.current().isEmpty());
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(repairsAsked::isEmpty);
        assertThat(watch.current().summary()).isEqualTo("service web scaled to 2 (definition: 1)");

        engine.set(objects(1)); // scaled back by hand
        watch.observed();
        await().atMost(Duration.ofSeconds(5)).until(() -> watch.current().isEmpty());
        assertThat(eventTexts()).containsExactly("drift seen service web scaled to 2 (definition: 1)",
                "drift cleared the engine matches the definition again");
    }

    @Test
    void whatChangesWhilePausedIsNotDrift() throws Exception {
        DriftWatch watch = watch(DriftMode.REPAIR);
        watch.resume(TARGET, RegistryAuth.NONE);
        watch.pause();
        engine.set(objects(5)); // the controller's own update scales web
        watch.observed();
        Thread.sleep(150);
        assertThat(watch.current().isEmpty()).isTrue();

        watch.resume(TARGET, RegistryAuth.NONE); // it succeeded: 5 replicas is the definition now
        watch.observed();
        Thread.sleep(150);
        assertThat(watch.current().isEmpty()).isTrue();
        assertThat(repairsAsked).isEmpty();
        assertThat(events.all()).extracting(StackEvent::action).isEmpty();
    }

    @Test
    void aFailedRepairIsTriedAgainLaterWithALongerDelay() {
        DriftWatch watch = watch(DriftMode.REPAIR);
        watch.resume(TARGET, RegistryAuth.NONE);
        engine.set(objects(3));
        watch.observed();
        await().atMost(Duration.ofSeconds(5)).until(() -> repairsAsked.size() == 1);

        long failedAt = System.nanoTime();
        repairs.get(0).complete(false);
        watch.observed(); // changes meanwhile do not bring the next attempt forward
        await().atMost(Duration.ofSeconds(5)).until(() -> repairsAsked.size() == 2);
        assertThat(Duration.ofNanos(System.nanoTime() - failedAt)).isGreaterThanOrEqualTo(FAST.firstBackoff());

        long failedAgainAt = System.nanoTime();
        repairs.get(1).complete(false);
        await().atMost(Duration.ofSeconds(5)).until(() -> repairsAsked.size() == 3);
        assertThat(Duration.ofNanos(System.nanoTime() - failedAgainAt)).isGreaterThanOrEqualTo(FAST.maxBackoff());
    }

    @Test
    void aBusyStackIsAskedAgain() {
        busy = true;
        DriftWatch watch = watch(DriftMode.REPAIR);
        watch.resume(TARGET, RegistryAuth.NONE);
        engine.set(objects(3));
        watch.observed();
        await().atMost(Duration.ofSeconds(5)).until(() -> reads.get() >= 3); // the first read and retries
        assertThat(repairsAsked).isEmpty();

        busy = false;
        await().atMost(Duration.ofSeconds(5)).until(() -> repairsAsked.size() == 1);
    }

    @Test
    void closedItComparesNothing() throws Exception {
        DriftWatch watch = watch(DriftMode.REPAIR);
        watch.resume(TARGET, RegistryAuth.NONE);
        int afterResume = reads.get();
        watch.close();
        engine.set(objects(3));
        watch.observed();
        Thread.sleep(150);
        assertThat(reads).hasValue(afterResume);
        assertThat(watch.current().isEmpty()).isTrue();
    }
}
