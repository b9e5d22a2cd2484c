package org.ailtire.stack;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class ChildRegistryTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final ChildRegistry registry = new ChildRegistry(clock, Duration.ofSeconds(10), 3);
    private final Registration shop = new Registration("shop", "http://shop:3000", "shop_ctl");

    private Status healthy() {
        return Status.stack("whatever", Status.State.RUNNING, "", null, clock.instant(),
                List.of(Status.service("web", Status.State.RUNNING, "", clock.instant())));
    }

    @Test
    void aRegisteredChildIsStartingUntilItReports() {
        registry.register(shop);
        assertThat(registry.statuses()).singleElement().satisfies(s -> {
            assertThat(s.name()).isEqualTo("shop");
            assertThat(s.state()).isEqualTo(Status.State.STARTING);
            assertThat(s.aggregate()).isEqualTo(Aggregate.STARTING);
            assertThat(s.url()).isEqualTo("http://shop:3000");
        });

        assertThat(registry.report("shop", healthy())).isTrue();
        assertThat(registry.statuses()).singleElement().satisfies(s -> {
            assertThat(s.name()).as("the registered name, not the reported one").isEqualTo("shop");
            assertThat(s.aggregate()).isEqualTo(Aggregate.HEALTHY);
        });
    }

    @Test
    void aReportFromAnUnknownChildIsRefused() {
        assertThat(registry.report("ghost", healthy())).isFalse();
        assertThat(registry.children()).isEmpty();
    }

    @Test
    void silenceBeyondThreeHeartbeatsMarksTheChildUnreachableAndAReportRevivesIt() {
        registry.register(shop);
        registry.report("shop", healthy());

        clock.advance(Duration.ofSeconds(30));
        registry.checkHeartbeats();
        assertThat(registry.find("shop").orElseThrow().reachable()).as("exactly at the limit").isTrue();

        clock.advance(Duration.ofSeconds(1));
        registry.checkHeartbeats();
        ChildRegistry.Child silent = registry.find("shop").orElseThrow();
        assertThat(silent.reachable()).isFalse();
        assertThat(silent.status().aggregate()).isEqualTo(Aggregate.UNREACHABLE);
        assertThat(silent.status().message()).contains("no heartbeat for 31s");
        assertThat(silent.status().children()).as("last known tree kept").hasSize(1);

        registry.report("shop", healthy());
        assertThat(registry.find("shop").orElseThrow().reachable()).isTrue();
    }

    @Test
    void anOriginalChildIsPolledNotTimedAndAFailedPollMarksItUnreachable() {
        registry.register(Registration.original("legacy", "http://legacy:3000", "legacy"));
        registry.report("legacy", healthy());
        clock.advance(Duration.ofMinutes(5));
        registry.checkHeartbeats();
        assertThat(registry.find("legacy")).get().satisfies(c -> assertThat(c.reachable())
                .as("it sends no heartbeats").isTrue());

        assertThat(registry.unreachable("legacy", "Network Error: connection refused")).isTrue();
        assertThat(registry.find("legacy")).get().satisfies(c -> {
            assertThat(c.reachable()).isFalse();
            assertThat(c.status().message()).isEqualTo("Network Error: connection refused");
            assertThat(c.status().children()).as("what it told last is kept").hasSize(1);
        });
        registry.report("legacy", healthy());
        assertThat(registry.find("legacy")).get().satisfies(c -> assertThat(c.reachable()).isTrue());
        assertThat(registry.unreachable("nobody", "x")).isFalse();
    }

    @Test
    void reRegistrationReplacesTheChild() {
        registry.register(shop);
        registry.report("shop", healthy());
        registry.register(new Registration("shop", "http://shop-2:3000", "shop_ctl"));

        assertThat(registry.children()).singleElement().satisfies(c -> {
            assertThat(c.registration().url()).isEqualTo("http://shop-2:3000");
            assertThat(c.status().state()).isEqualTo(Status.State.STARTING);
        });
    }

    @Test
    void listenersHearChangesButNotRepeatedHeartbeats() {
        AtomicInteger changes = new AtomicInteger();
        registry.addListener(changes::incrementAndGet);
        registry.register(shop);
        registry.report("shop", healthy());
        assertThat(changes).hasValue(2);

        clock.advance(Duration.ofSeconds(5));
        registry.report("shop", healthy());
        assertThat(changes).as("same tree, later time").hasValue(2);

        clock.advance(Duration.ofSeconds(40));
        registry.checkHeartbeats();
        registry.checkHeartbeats();
        assertThat(changes).as("marked unreachable once").hasValue(3);

        registry.remove("shop");
        assertThat(changes).hasValue(4);
    }

    @Test
    void theTimerMarksSilentChildrenWithoutAnyRequest() {
        try (ChildRegistry timed = new ChildRegistry(clock, Duration.ofMillis(100), 3)) {
            timed.register(shop);
            timed.start();
            clock.advance(Duration.ofSeconds(1));
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> !timed.find("shop").orElseThrow().reachable());
        }
    }
}
