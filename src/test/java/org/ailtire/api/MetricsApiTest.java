package org.ailtire.api;

import io.vertx.core.Vertx;
import org.ailtire.gateway.RouteTable;
import org.ailtire.metrics.MetricsToken;
import org.ailtire.metrics.PrometheusText;
import org.ailtire.metrics.StackMetrics;
import org.ailtire.stack.FakeStack;
import org.ailtire.stack.ServiceTasks;
import org.ailtire.stack.Status;
import org.ailtire.tls.GatewayCertificate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code GET /metrics} on a control plane in front of a fake stack: the tokens that open it, and what it says. */
class MetricsApiTest {
    private static final String TOKEN = "s3cret-token-of-the-tree";
    private static final String METRICS_TOKEN = "prometheus-only-token";
    private final HttpClient http = HttpClient.newHttpClient();
    private Vertx vertx;
    private FakeStack stack;
    private AdminServer server;
    private String base;

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
        stack = FakeStack.simple("top");
        stack.setService("web", Status.State.RUNNING);
        stack.taskCounts.add(new ServiceTasks("web", 2, 2));
        server = new AdminServer(vertx, stack, ServerSettings.of("127.0.0.1", 0, TOKEN), RouteTable.empty(),
                GatewayCertificate.NONE, Optional.empty(), StackMetrics.of(stack),
                Optional.of(MetricsToken.ofHash(MetricsToken.hashOf(METRICS_TOKEN))));
        base = "http://127.0.0.1:" + server.start().join();
    }

    @AfterEach
    void stop() {
        server.close();
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    private HttpResponse<String> get(String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theStacksTokenAndTheMetricsTokenOpenMetrics() throws Exception {
        for (String token : new String[] {TOKEN, METRICS_TOKEN}) {
            HttpResponse<String> answer = get("/metrics", token);

            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(answer.headers().firstValue("Content-Type")).contains(MetricsApi.CONTENT_TYPE);
            PrometheusText text = PrometheusText.parse(answer.body());
            assertThat(text.value("ailtire_service_desired_tasks", Map.of("stack", "top", "service", "web")))
                    .isEqualTo(2);
        }
    }

    @Test
    void noTokenOrAnotherIsRefused() throws Exception {
        assertThat(get("/metrics", null).statusCode()).isEqualTo(401);
        HttpResponse<String> wrong = get("/metrics", "not-the-token-at-all");
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.headers().firstValue("WWW-Authenticate")).contains("Bearer");
    }

    @Test
    void theMetricsTokenOpensNothingElse() throws Exception {
        for (String path : new String[] {"/api/v1/status", "/api/v1/history", "/_admin/status", "/api/v1/routes"}) {
            assertThat(get(path, METRICS_TOKEN).statusCode()).as(path).isEqualTo(401);
        }
        assertThat(get("/api/v1/status", TOKEN).statusCode()).isEqualTo(200);
    }

    @Test
    void anOpenStatusStreamIsCounted() throws Exception {
        HttpRequest events = HttpRequest.newBuilder(URI.create(base + "/api/v1/status/events"))
                .header("Authorization", "Bearer " + TOKEN).GET().build();
        HttpResponse<InputStream> stream = http.send(events, HttpResponse.BodyHandlers.ofInputStream());
        try {
            assertThat(stream.statusCode()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(5)).until(() -> PrometheusText.parse(get("/metrics", TOKEN).body())
                    .value("ailtire_event_streams_open", Map.of("stream", "status")) == 1);
        } finally {
            stream.body().close();
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> PrometheusText.parse(get("/metrics", TOKEN).body())
                .value("ailtire_event_streams_open", Map.of("stream", "status")) == 0);
    }
}
