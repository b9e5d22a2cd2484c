package org.ailtire.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Vertx;
import org.ailtire.stack.FakeStack;
import org.ailtire.stack.Json;
import org.ailtire.stack.Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A control plane on loopback in front of a {@link FakeStack} named {@code top} with a running {@code web}, for each
 * test, and the authorized requests the tests send to it.
 */
abstract class ControlPlaneTestBase {
    protected static final String TOKEN = "s3cret-token";
    protected final HttpClient http = HttpClient.newHttpClient();
    private final long bodyLimit;
    protected Vertx vertx;
    protected FakeStack stack;
    protected AdminServer server;
    protected String base;

    /** @param bodyLimit the largest request body the server accepts (413 beyond) */
    protected ControlPlaneTestBase(long bodyLimit) {
        this.bodyLimit = bodyLimit;
    }

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
        stack = FakeStack.simple("top");
        stack.setService("web", Status.State.RUNNING);
        prepare(stack);
        server = new AdminServer(vertx, stack, new ServerSettings("127.0.0.1", 0, TOKEN, bodyLimit, 2,
                Duration.ofMillis(200)));
        base = "http://127.0.0.1:" + server.start().join();
    }

    /** What a test class adds to the stack before the server starts. */
    protected void prepare(FakeStack stack) {
    }

    @AfterEach
    void stop() {
        server.close();
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    protected HttpRequest.Builder req(String path) {
        return HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + TOKEN);
    }

    protected HttpResponse<String> get(String path) throws Exception {
        return http.send(req(path).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    protected HttpResponse<String> post(String path, String json) throws Exception {
        return http.send(req(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    protected static JsonNode json(HttpResponse<String> response) throws Exception {
        return Json.MAPPER.readTree(response.body());
    }
}
