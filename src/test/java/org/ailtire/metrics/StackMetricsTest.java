package org.ailtire.metrics;

import org.ailtire.stack.ChildRegistry;
import org.ailtire.stack.FakeStack;
import org.ailtire.stack.MutableClock;
import org.ailtire.stack.Registration;
import org.ailtire.stack.ServiceTasks;
import org.ailtire.stack.Status;
import org.ailtire.stack.Update;
import org.ailtire.stack.UpdateRequest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class StackMetricsTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-02T01:00:00Z"));
    private final ChildRegistry children = new ChildRegistry(clock, Duration.ofSeconds(10), 3);
    private final FakeStack stack = new FakeStack("backend", children, child -> CompletableFuture.completedFuture(null),
            clock);
    private final StackMetrics metrics = new StackMetrics(stack, "/shop/backend", clock, GatewayMetrics.NONE);

    private PrometheusText scrape() {
        return PrometheusText.parse(metrics.scrape());
    }

    @Test
    void desiredAndRunningTasksPerService() {
        stack.taskCounts.addAll(List.of(new ServiceTasks("api", 3, 2), new ServiceTasks("worker", 1, 1)));

        PrometheusText text = scrape();

        assertThat(text.type("ailtire_service_desired_tasks")).contains("gauge");
        assertThat(text.value("ailtire_service_desired_tasks", Map.of("stack", "/shop/backend", "service", "api")))
                .isEqualTo(3);
        assertThat(text.value("ailtire_service_running_tasks", Map.of("stack", "/shop/backend", "service", "api")))
                .isEqualTo(2);
        assertThat(text.value("ailtire_service_running_tasks", Map.of("service", "worker"))).isEqualTo(1);
    }

    @Test
    void oneStateGaugeIsOneAndFollowsTheServicesState() {
        stack.setService("api", Status.State.STARTING);
        PrometheusText before = scrape();
        assertThat(before.value("ailtire_service_state", Map.of("service", "api", "state", "starting"))).isEqualTo(1);
        assertThat(before.find("ailtire_service_state", Map.of("service", "api")))
                .hasSize(Status.State.values().length)
                .extracting(PrometheusText.Sample::value).containsOnly(0.0, 1.0)
                .filteredOn(v -> v == 1.0).hasSize(1);
        assertThat(before.value("ailtire_service_state", Map.of("service", "api", "state", "starting")))
                .isEqualTo(1);

        stack.setService("api", Status.State.FAILED);
        PrometheusText after = scrape();

        assertThat(after.value("ailtire_service_state", Map.of("service", "api", "state", "starting"))).isZero();
        assertThat(after.value("ailtire_service_state", Map.of("service", "api", "state", "failed",
                "type", "service"))).isEqualTo(1);
        assertThat(after.value("ailtire_stack_state", Map.of("stack", "/shop/backend", "state", "running")))
                .isEqualTo(1);
    }

    @Test
    void updatesAreCountedByOutcomeWithTheirDuration() throws Exception {
        stack.updateGate = new CountDownLatch(1);
        Update first = stack.update(new UpdateRequest(List.of(), Map.of(), "service: api\n"));
        clock.advance(Duration.ofSeconds(7));
        stack.updateGate.countDown();
        await().atMost(Duration.ofSeconds(10)).until(() -> !first.isRunning());
        stack.updateFailure = "image not found";
        Update second = stack.update(new UpdateRequest(List.of(), Map.of(), "service: api\nservice: db\n"));
        await().atMost(Duration.ofSeconds(10)).until(() -> !second.isRunning());

        // The outcome is counted once the update's listeners ran.
        await().atMost(Duration.ofSeconds(10)).until(() -> scrape().find("ailtire_updates_total",
                Map.of("outcome", "failed")).size() == 1);
        PrometheusText text = scrape();
        assertThat(text.type("ailtire_updates_total")).contains("counter");
        assertThat(text.value("ailtire_updates_total", Map.of("stack", "/shop/backend", "kind", "update",
                "outcome", "succeeded"))).isEqualTo(1);
        assertThat(text.value("ailtire_updates_total", Map.of("kind", "update", "outcome", "failed"))).isEqualTo(1);
        assertThat(text.type("ailtire_update_duration_seconds")).contains("histogram");
        Map<String, String> succeeded = Map.of("outcome", "succeeded");
        assertThat(text.value("ailtire_update_duration_seconds_count", succeeded)).isEqualTo(1);
        assertThat(text.value("ailtire_update_duration_seconds_sum", succeeded)).isEqualTo(7);
        assertThat(text.value("ailtire_update_duration_seconds_bucket", Map.of("outcome", "succeeded", "le", "5.0")))
                .isZero();
        assertThat(text.value("ailtire_update_duration_seconds_bucket", Map.of("outcome", "succeeded", "le", "10.0")))
                .isEqualTo(1);
    }

    @Test
    void heartbeatAgeIsTheTimeSinceTheChildsLastReportAndItsServicesStatesAreTold() {
        stack.childStacks.put("db", "http://db:8081");
        stack.register(new Registration("db", "http://db:8081", "db"));
        clock.advance(Duration.ofMillis(12_500));

        assertThat(scrape().value("ailtire_child_heartbeat_age_seconds", Map.of("stack", "/shop/backend",
                "service", "db"))).isEqualTo(12.5);

        stack.report("db", Status.stack("db", Status.State.RUNNING, "", null, clock.instant(),
                List.of(Status.service("postgres", Status.State.STARTING, "", clock.instant()))));
        clock.advance(Duration.ofSeconds(2));
        PrometheusText text = scrape();
        assertThat(text.value("ailtire_child_heartbeat_age_seconds", Map.of("service", "db"))).isEqualTo(2);
        assertThat(text.value("ailtire_service_state", Map.of("service", "db", "type", "stack", "state", "running")))
                .isEqualTo(1);
        assertThat(text.value("ailtire_service_state", Map.of("stack", "/shop/backend/db", "service", "postgres",
                "type", "service", "state", "starting"))).as("the child's services, as it reported them").isEqualTo(1);
    }

    @Test
    void openStreamsAreReadAtEachScrape() {
        int[] follows = {0};
        metrics.observeStreams(new OpenStreams(() -> follows[0], () -> 2, () -> 1));
        follows[0] = 3;

        PrometheusText text = scrape();

        assertThat(text.value("ailtire_log_follows_open", Map.of("stack", "/shop/backend"))).isEqualTo(3);
        assertThat(text.value("ailtire_event_streams_open", Map.of("stream", "status"))).isEqualTo(2);
        assertThat(text.value("ailtire_event_streams_open", Map.of("stream", "update"))).isEqualTo(1);
    }

    @Test
    void theGatewaysSeriesFollowTheControllers() {
        StackMetrics withGateway = new StackMetrics(stack, "/shop", clock,
                () -> "# TYPE haproxy_backend_http_requests_total counter\n"
                        + "haproxy_backend_http_requests_total{stack=\"/shop\",proxy=\"r_web\"} 4\n");

        PrometheusText text = PrometheusText.parse(withGateway.scrape());

        assertThat(text.value("haproxy_backend_http_requests_total", Map.of("stack", "/shop", "proxy", "r_web")))
                .isEqualTo(4);
        assertThat(text.find("ailtire_stack_state", Map.of("stack", "/shop"))).isNotEmpty();
    }
}
