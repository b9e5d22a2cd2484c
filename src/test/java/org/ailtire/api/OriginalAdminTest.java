package org.ailtire.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Vertx;
import org.ailtire.gateway.RouteTable;
import org.ailtire.stack.FakeStack;
import org.ailtire.stack.Json;
import org.ailtire.stack.LogLine;
import org.ailtire.stack.Status;
import org.ailtire.stack.TaskRow;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Compatibility mode: an original parent calls its child's {@code /_admin} routes without a token; the rest of the
 * control plane still needs it. (Outside the mode, {@link ControlPlaneTest} checks that {@code /_admin/*} needs it.)
 */
class OriginalAdminTest {
    private static final String TOKEN = "s3cret-token-of-this-run";
    private final HttpClient http = HttpClient.newHttpClient();
    private final CountDownLatch exited = new CountDownLatch(1);
    private Vertx vertx;
    private FakeStack stack;
    private AdminServer server;
    private String base;

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
        stack = FakeStack.simple("shop_backend-1");
        stack.setService("web", Status.State.RUNNING);
        stack.taskRows.add(new TaskRow("k3x9v2m1q8w7e6r5", "web", "1", "nginx:1.25", "node-a", "running", "running",
                ""));
        stack.logLines.add(new LogLine("web", LogLine.Stream.STDOUT, null, "listening on 80"));
        stack.logLines.add(new LogLine("web", LogLine.Stream.STDERR, null, "warning: no index"));
        stack.logLines.add(new LogLine("web", LogLine.Stream.STDOUT, null, "GET / 200"));
        server = new AdminServer(vertx, stack, ServerSettings.of("127.0.0.1", 0, TOKEN), RouteTable.empty(),
                org.ailtire.tls.GatewayCertificate.NONE,
                Optional.of(new OriginalAdmin("shop_backend-1", 8080, exited::countDown)));
        base = "http://127.0.0.1:" + server.start().join();
    }

    @AfterEach
    void stop() {
        server.close();
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    private HttpResponse<String> withoutToken(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theStatusIsTheOriginalsDocumentWithoutAToken() throws Exception {
        var response = withoutToken("/_admin/status");
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode document = Json.MAPPER.readTree(response.body());
        assertThat(document.get("service").asText()).isEqualTo("shop_backend-1");
        assertThat(document.get("interfaces").isObject()).isTrue();
        JsonNode web = document.get("services").get("shop_backend-1_web-1");
        assertThat(web.get("name").asText()).isEqualTo("shop_backend-1_web.1");
        assertThat(web.get("status").asText()).isEqualTo("Running");
        assertThat(web.get("desired").asText()).isEqualTo("Running");
    }

    @Test
    void aTasksLogIsItsServicesStdoutAndStderr() throws Exception {
        var response = withoutToken("/_admin/log?name=shop_backend-1_web-1");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(Json.MAPPER.readTree(response.body())).isEqualTo(Json.MAPPER.readTree("""
                {"stdout": ["listening on 80", "GET / 200"], "stderr": ["warning: no index"]}"""));
    }

    @Test
    void aLogOfNoTaskOfThisStackIsRefused() throws Exception {
        assertThat(withoutToken("/_admin/log?name=other_web-1").statusCode()).isEqualTo(400);
        assertThat(withoutToken("/_admin/log").statusCode()).isEqualTo(400);
        assertThat(withoutToken("/_admin/log?name=shop_backend-1_db-1").statusCode()).isEqualTo(404);
    }

    @Test
    void theTaskKeyNamesTheService() {
        OriginalAdmin admin = new OriginalAdmin("shop_backend-1", 8080, () -> { });
        assertThat(admin.serviceOf("shop_backend-1_web-1")).contains("web");
        assertThat(admin.serviceOf("shop_backend-1_web")).contains("web");
        assertThat(admin.serviceOf("shop_backend-1_my-api-12")).contains("my-api");
        assertThat(admin.serviceOf("shop_backend-1_")).isEmpty();
        assertThat(admin.serviceOf("shop_web-1")).isEmpty();
    }

    @Test
    void shutdownRemovesTheStackAnswersTextThenExits() throws Exception {
        var response = withoutToken("/_admin/shutdown");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
        assertThat(response.body()).isEqualTo("Removed stack shop_backend-1\n");
        assertThat(stack.events).contains("stop own services");
        assertThat(exited.await(5, TimeUnit.SECONDS)).as("the process is told to exit").isTrue();
    }

    @Test
    void theRoutesAreListedAndShownInTheOriginalsShape() throws Exception {
        var list = withoutToken("/_admin/route/list");
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(Json.MAPPER.readTree(list.body())).isEqualTo(Json.MAPPER.readTree("{}"));
        assertThat(withoutToken("/_admin/route/show?id=/shop").statusCode()).isEqualTo(404);
    }

    @Test
    void ourOwnApiStillNeedsTheToken() throws Exception {
        for (String path : List.of("/api/v1/status", "/api/v1/logs", "/_admin/view", "/_admin/update")) {
            assertThat(withoutToken(path).statusCode()).as(path).isEqualTo(401);
        }
        var post = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/shutdown"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(401);
        assertThat(stack.events).doesNotContain("stop own services");
    }

    @Test
    void outsideTheModeTheOriginalsRoutesNeedTheToken() throws Exception {
        AdminServer ours = new AdminServer(vertx, stack, ServerSettings.of("127.0.0.1", 0, TOKEN));
        String oursBase = "http://127.0.0.1:" + ours.start().join();
        try {
            for (String path : List.of("/_admin/status", "/_admin/log?name=shop_backend-1_web-1", "/_admin/shutdown",
                    "/_admin/route/list", "/_admin/route/show?id=/")) {
                var none = http.send(HttpRequest.newBuilder(URI.create(oursBase + path)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(none.statusCode()).as(path).isEqualTo(401);
            }
            assertThat(stack.events).doesNotContain("stop own services");
            assertThat(exited.getCount()).isEqualTo(1);
        } finally {
            ours.close();
        }
    }
}
