package org.ailtire.controller;

import org.ailtire.metrics.PrometheusText;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code GET /metrics} of the demo's top controller, deployed with a metrics token, parsed as the Prometheus text
 * format: its services' desired and running tasks, an update counted, the gateway's per-route (per HAProxy backend)
 * request counter growing with requests through the gateway, 401 without a token, and the metrics token opening
 * {@code /metrics} only.
 */
@Tag("integration")
class MetricsIT {
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void theTopsMetricsTellItsServicesUpdatesAndGateway(@TempDir Path temp) throws Exception {
        String metricsToken = "prometheus-" + UUID.randomUUID();
        Path tokenFile = temp.resolve("metrics-token");
        Files.writeString(tokenFile, metricsToken + "\n");
        Files.setPosixFilePermissions(tokenFile, PosixFilePermissions.fromString("rw-------"));
        try (DeployedDemo demo = DeployedDemo.deploy("it-metrics", temp, "[metrics]", definitions -> {
        }, DeployedDemo.CONTROLLER_IMAGE, List.of("--metrics-token-file", tokenFile.toString())).requireDeployed()) {
            String stack = "/" + demo.app; // the stack's path in its tree
            URI metrics = demo.adminUrl.resolve("/metrics");

            // Desired and running tasks of the top's own service, and its child stack's state, once it registered.
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                PrometheusText text = scrape(metrics, metricsToken);
                Map<String, String> web = Map.of("stack", stack, "service", "web");
                assertThat(text.value("ailtire_service_desired_tasks", web)).isEqualTo(1);
                assertThat(text.value("ailtire_service_running_tasks", web)).isEqualTo(1);
                assertThat(text.value("ailtire_service_state", Map.of("stack", stack, "service", "web",
                        "state", "running"))).isEqualTo(1);
                assertThat(text.value("ailtire_service_state", Map.of("stack", stack, "service", "backend",
                        "type", "stack", "state", "running"))).isEqualTo(1);
                assertThat(text.value("ailtire_child_heartbeat_age_seconds", Map.of("stack", stack,
                        "service", "backend"))).isBetween(0.0, 30.0);
                assertThat(text.value("ailtire_service_state", Map.of("stack", stack + "/backend/db",
                        "service", "store", "state", "running"))).as("the tree's states, as children report them")
                        .isEqualTo(1);
            });

            // Without a token, or with the metrics token anywhere else: 401.
            assertThat(get(metrics, null).statusCode()).isEqualTo(401);
            assertThat(get(metrics, "not-" + metricsToken).statusCode()).isEqualTo(401);
            for (String path : List.of("/api/v1/status", "/api/v1/history", "/_admin/status", "/api/v1/routes")) {
                assertThat(get(demo.adminUrl.resolve(path), metricsToken).statusCode()).as(path).isEqualTo(401);
            }
            assertThat(get(metrics, demo.token).statusCode()).as("the application's token").isEqualTo(200);

            // Requests through the gateway are counted on the route's HAProxy backend (r_<route>).
            Map<String, String> backendRoute = Map.of("stack", stack, "proxy", "r_backend");
            double before = scrape(metrics, metricsToken).value("haproxy_backend_http_requests_total", backendRoute);
            for (int i = 0; i < 5; i++) {
                HttpResponse<String> answer = get(demo.url.resolve("/backend/orders/"), null);
                assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            }
            PrometheusText afterRequests = scrape(metrics, metricsToken);
            assertThat(afterRequests.value("haproxy_backend_http_requests_total", backendRoute))
                    .isGreaterThanOrEqualTo(before + 5);
            assertThat(afterRequests.value("haproxy_frontend_http_requests_total", Map.of("stack", stack,
                    "proxy", "gateway"))).isGreaterThanOrEqualTo(5);
            assertThat(afterRequests.find("haproxy_frontend_http_requests_total", Map.of("proxy", "promex")))
                    .as("the exporter's own frontend is left out").isEmpty();

            // An update (the same definition again: nothing to change, quick) is counted with its duration.
            Map<String, String> succeeded = Map.of("stack", stack, "kind", "update", "outcome", "succeeded");
            double updatesBefore = afterRequests.find("ailtire_updates_total", succeeded).stream()
                    .mapToDouble(PrometheusText.Sample::value).sum();
            DeployedDemo.Run update = demo.cli("update", "--app", demo.app, "-f",
                    demo.definitions.resolve("stack.yml").toString());
            assertThat(update.code()).as(update.output()).isZero();
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                PrometheusText text = scrape(metrics, metricsToken);
                assertThat(text.value("ailtire_updates_total", succeeded)).isEqualTo(updatesBefore + 1);
                assertThat(text.value("ailtire_update_duration_seconds_count", succeeded))
                        .isEqualTo(updatesBefore + 1);
            });
            System.out.println("[metrics] sample scrape of " + metrics + ":\n" + get(metrics, metricsToken).body());
        }
    }

    private PrometheusText scrape(URI metrics, String token) throws Exception {
        HttpResponse<String> answer = get(metrics, token);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
                assertThat(type).startsWith("text/plain; version=0.0.4"));
        return PrometheusText.parse(answer.body());
    }

    private HttpResponse<String> get(URI uri, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
