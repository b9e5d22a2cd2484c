package org.ailtire.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import org.ailtire.api.AdminServer;
import org.ailtire.api.ServerSettings;
import org.ailtire.dataplane.DataPlaneSettings;
import org.ailtire.dataplane.GatewayDataPlane;
import org.ailtire.dataplane.HaproxySupervisor;
import org.ailtire.dataplane.RouteBackend;
import org.ailtire.dataplane.TargetResolver;
import org.ailtire.stack.FakeStack;
import org.ailtire.stack.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The gateway as the controller wires it (its route table rendered into a real HAProxy, supervised) in front of a
 * real Vert.x backend on loopback: targets resolve to loopback ports, no engine. Needs the haproxy binary
 * ({@code /usr/sbin/haproxy} or AILTIRE_HAPROXY), which {@code scripts/test} installs.
 */
class GatewayTest {
    private static final String TOKEN = "gateway-test-token";

    @TempDir
    Path temp;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final List<AutoCloseable> closing = new ArrayList<>();
    /** The admin listener (control plane) of each gateway this test started, by the gateway's base URL. */
    private final Map<String, String> adminOf = new java.util.HashMap<>();
    private Vertx vertx;
    private EchoBackend backend;
    private int closedPort;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        backend = new EchoBackend(vertx);
        closing.add(backend);
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort(); // nothing listens there once closed
        }
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : closing.reversed()) {
            c.close();
        }
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    private DataPlaneSettings settings(boolean trustForwarded, Duration idleTimeout) throws Exception {
        return new DataPlaneSettings("127.0.0.1", 0, trustForwarded, Duration.ofSeconds(2), idleTimeout,
                Duration.ofSeconds(10), Duration.ofHours(1), 1, 256, 200, Files.createTempDirectory(temp, "haproxy-"));
    }

    private DataPlaneSettings settings() throws Exception {
        return settings(false, Duration.ofMillis(500));
    }

    private final Map<String, GatewayDataPlane> dataPlaneOf = new java.util.HashMap<>();

    /** A gateway whose services all live on loopback; child stacks resolve to the given ports. */
    private String gateway(StackRoutes routes, Map<String, Integer> children, DataPlaneSettings settings) throws Exception {
        TargetResolver resolver = target -> {
            if (target.childStack()) {
                Integer port = children.get(target.service());
                if (port == null) {
                    return new RouteBackend.Unavailable(503, "child stack " + target.service() + " is not registered (yet)");
                }
                return new RouteBackend.Servers(List.of(new RouteBackend.Server("controller", "127.0.0.1", port)));
            }
            return new RouteBackend.Servers(List.of(new RouteBackend.Server("t1", "127.0.0.1", target.port())));
        };
        RouteTable table = new RouteTable(() -> routes);
        GatewayDataPlane gateway = new GatewayDataPlane(table, resolver, settings,
                HaproxySupervisor.defaultBinary(System.getenv()));
        closing.add(gateway);
        AdminServer admin = new AdminServer(vertx, FakeStack.simple("top"), ServerSettings.of("127.0.0.1", 0, TOKEN),
                table);
        closing.add(admin);
        String base = "http://127.0.0.1:" + gateway.start();
        adminOf.put(base, "http://127.0.0.1:" + admin.start().join());
        dataPlaneOf.put(base, gateway);
        return base;
    }

    private StackRoutes stack(Route... routes) {
        return new StackRoutes(List.of(routes), Set.of("web", "down"), Set.of("backend", "gone"));
    }

    private Route route(String name, String path, int port, String rewrite, Route.Protocol protocol) {
        return new Route(name, path, RouteTarget.service("web", port), rewrite, protocol, Route.Origin.DEFINITION);
    }

    private HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        return Json.MAPPER.readTree(response.body());
    }

    @Test
    void routesRewritesAndSetsForwardedHeaders() throws Exception {
        String base = gateway(stack(route("shop", "/shop", backend.port(), "/", Route.Protocol.HTTP),
                route("keep", "/keep", backend.port(), "/keep", Route.Protocol.HTTP)), Map.of(), settings());

        JsonNode seen = json(http.send(HttpRequest.newBuilder(URI.create(base + "/shop/cart/1?item=a%20b"))
                .header("X-Forwarded-For", "6.6.6.6").header("X-Forwarded-Prefix", "/spoofed")
                .POST(HttpRequest.BodyPublishers.ofString("order")).build(), HttpResponse.BodyHandlers.ofString()));
        assertThat(seen.get("method").asText()).isEqualTo("POST");
        assertThat(seen.get("uri").asText()).isEqualTo("/cart/1?item=a%20b");
        assertThat(seen.get("body").asText()).isEqualTo("order");
        JsonNode headers = seen.get("headers");
        assertThat(headers.get("x-forwarded-for").asText()).as("client headers are not trusted at the top")
                .isEqualTo("127.0.0.1");
        assertThat(headers.get("x-forwarded-prefix").asText()).isEqualTo("/shop");
        assertThat(headers.get("x-forwarded-proto").asText()).isEqualTo("http");
        assertThat(headers.get("x-forwarded-host").asText()).isEqualTo(URI.create(base).getAuthority());

        assertThat(json(get(base + "/shop")).get("uri").asText()).isEqualTo("/");
        JsonNode kept = json(get(base + "/keep/a"));
        assertThat(kept.get("uri").asText()).isEqualTo("/keep/a");
        assertThat(kept.get("headers").has("x-forwarded-prefix")).isFalse();
    }

    @Test
    void headersTheConnectionHeaderNamesAndForgedClientHeadersDoNotPass() throws Exception {
        String base = gateway(stack(route("shop", "/shop", backend.port(), "/shop", Route.Protocol.HTTP)), Map.of(),
                settings());
        int port = URI.create(base).getPort();

        String request = raw(port, "GET /shop/a HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive, X-Secret, te\r\n"
                + "X-Secret: from the client's proxy\r\nX-Kept: yes\r\nForwarded: for=203.0.113.9\r\n"
                + "X-Real-IP: 203.0.113.9\r\nConnection: close\r\n\r\n");
        JsonNode headers = Json.MAPPER.readTree(request.substring(request.indexOf("\r\n\r\n") + 4)).get("headers");
        String response = raw(port, "GET /shop/connection-named HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
        String head = response.substring(0, response.indexOf("\r\n\r\n")).toLowerCase(java.util.Locale.ROOT);

        assertThat(headers.has("x-secret")).as("named by Connection: meant for one hop").isFalse();
        assertThat(headers.has("forwarded")).as("forged at the top").isFalse();
        assertThat(headers.has("x-real-ip")).isFalse();
        assertThat(headers.get("x-kept").asText()).isEqualTo("yes");
        assertThat(headers.has("connection") ? headers.get("connection").asText() : "").doesNotContainIgnoringCase("x-secret");
        assertThat(head).startsWith("http/1.1 200").contains("x-public: yes").doesNotContain("x-internal");
    }

    /** One request written as is (Java's HttpClient does not let one set Connection); the whole answer. */
    private static String raw(int port, String request) throws Exception {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    @Test
    void hopByHopHeadersStayOnTheirHopAndHeadHasNoBody() throws Exception {
        String base = gateway(stack(route("shop", "/shop", backend.port(), "/", Route.Protocol.HTTP)), Map.of(), settings());

        JsonNode seen = json(http.send(HttpRequest.newBuilder(URI.create(base + "/shop/a"))
                .header("Proxy-Authorization", "Basic c2VjcmV0").header("TE", "trailers").header("X-Kept", "yes")
                .build(), HttpResponse.BodyHandlers.ofString()));
        JsonNode headers = seen.get("headers");
        assertThat(headers.has("proxy-authorization")).as("meant for this hop only").isFalse();
        assertThat(headers.has("te")).isFalse();
        assertThat(headers.get("x-kept").asText()).isEqualTo("yes");
        assertThat(headers.get("host").asText()).as("the client's Host is kept")
                .isEqualTo(URI.create(base).getAuthority());

        HttpResponse<String> head = http.send(HttpRequest.newBuilder(URI.create(base + "/shop/a"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(get(base + "/shop/b").statusCode()).as("the connection is still usable after a HEAD").isEqualTo(200);
    }

    @Test
    void responsesStreamThrough() throws Exception {
        String base = gateway(stack(route("shop", "/shop", backend.port(), "/", Route.Protocol.HTTP)), Map.of(), settings());
        var response = http.send(HttpRequest.newBuilder(URI.create(base + "/shop/stream")).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        try (var reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            // The backend holds its second chunk until the first has arrived here: a buffering proxy would hang.
            assertThat(reader.readLine()).isEqualTo("first");
            backend.releaseStream();
            assertThat(reader.readLine()).isEqualTo("second");
            assertThat(reader.readLine()).isNull();
        }
    }

    @Test
    void webSocketsPassOnWsRoutesOnly() throws Exception {
        String base = gateway(stack(route("live", "/live", backend.port(), "/", Route.Protocol.WS),
                route("shop", "/shop", backend.port(), "/", Route.Protocol.HTTP)), Map.of(), settings());
        int port = URI.create(base).getPort();
        WebSocketClient client = vertx.createWebSocketClient();
        CompletableFuture<String> reply = new CompletableFuture<>();
        client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI("/live/chat"))
                .onFailure(reply::completeExceptionally)
                .onSuccess(ws -> {
                    ws.textMessageHandler(reply::complete);
                    ws.writeTextMessage("hi");
                });
        assertThat(reply.get(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("echo: hi");
        assertThat(backend.lastWebSocketPath).isEqualTo("/chat");

        CompletableFuture<Throwable> refused = new CompletableFuture<>();
        client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI("/shop/chat"))
                .onComplete(ar -> refused.complete(ar.cause()));
        assertThat(refused.get(10, java.util.concurrent.TimeUnit.SECONDS)).as("http route refuses the upgrade")
                .isNotNull().hasMessageContaining("400");
        client.close();
    }

    @Test
    void failuresAreJsonNamingTheRoute() throws Exception {
        String base = gateway(new StackRoutes(List.of(
                route("shop", "/shop", backend.port(), "/", Route.Protocol.HTTP),
                route("down", "/down", closedPort, "/", Route.Protocol.HTTP),
                new Route("gone", "/gone", RouteTarget.childStack("gone"), "/", Route.Protocol.WS, Route.Origin.DEFINITION)),
                Set.of("web"), Set.of("gone")), Map.of(), settings());

        var missing = get(base + "/nowhere/x");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(json(missing).get("error").asText()).isEqualTo("no route for /nowhere/x");

        var down = get(base + "/down/x");
        assertThat(down.statusCode()).isEqualTo(502);
        assertThat(down.headers().firstValue("Content-Type")).contains("application/json");
        assertThat(json(down).get("route").asText()).isEqualTo("down");
        assertThat(json(down).get("error").asText()).startsWith("route down (/down): service web:" + closedPort
                + " refused the connection or is down");

        var slow = get(base + "/shop/slow");
        assertThat(slow.statusCode()).isEqualTo(504);
        assertThat(json(slow).get("error").asText()).startsWith("route shop (/shop): service web:" + backend.port()
                + " did not answer within 500 ms");

        var gone = get(base + "/gone/x");
        assertThat(gone.statusCode()).isEqualTo(503);
        assertThat(json(gone).get("error").asText()).isEqualTo("route gone (/gone): child stack gone is not registered (yet)");

        var dotted = get(base + "/shop/../x");
        assertThat(dotted.statusCode()).as("what a route matches is what the target gets").isEqualTo(400);
    }

    @Test
    void theControlPlaneAndTheConsoleAreOnTheAdminPortOnly() throws Exception {
        String base = gateway(stack(route("shop", "/shop", backend.port(), "/", Route.Protocol.HTTP)), Map.of(), settings());
        for (String path : List.of("/api/v1/status", "/api/v1/health", "/api/v1/openapi.json", "/_ailtire/",
                "/_ailtire/console.js", "/_admin/status")) {
            var onGateway = withToken(base + path, "GET", null);
            assertThat(onGateway.statusCode()).as("gateway port " + path).isEqualTo(404);
            assertThat(json(onGateway).get("error").asText()).isEqualTo("no route for " + path);
            assertThat(admin(base, "GET", path, null).statusCode()).as("admin port " + path)
                    .isEqualTo(200);
        }
        var dotted = get(base + "/shop/../api/v1/status");
        assertThat(dotted.statusCode()).as("dot segments reach nothing").isEqualTo(400);
        assertThat(admin(base, "GET", "/shop/", null).statusCode())
                .as("application routes are not served on the admin port").isEqualTo(404);
    }

    @Test
    void haproxyKilledIsStartedAgainAndServesTheSameRoutes() throws Exception {
        String base = gateway(stack(route("shop", "/shop", backend.port(), "/", Route.Protocol.HTTP)), Map.of(),
                settings(false, Duration.ofSeconds(10)));
        GatewayDataPlane gateway = dataPlaneOf.get(base);
        var first = get(base + "/shop/a");
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        assertThat(json(first).get("uri").asText()).isEqualTo("/a");
        long master = gateway.supervisor().masterPid().orElseThrow();
        ProcessHandle.of(master).orElseThrow().destroyForcibly();
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() -> {
            assertThat(gateway.supervisor().masterPid()).isPresent().isNotEqualTo(java.util.Optional.of(master));
            assertThat(json(get(base + "/shop/b")).get("uri").asText()).isEqualTo("/b");
        });
        assertThat(gateway.supervisor().starts()).isEqualTo(2);
    }

    @Test
    void aRuntimeRoutesFirewallAndHostAreEnforced() throws Exception {
        String base = gateway(stack(), Map.of(), settings());
        var added = admin(base, "POST", "/api/v1/routes", "{\"name\":\"small\",\"path\":\"/small\",\"service\":\"web\","
                + "\"port\":" + backend.port() + ",\"max_body\":16,\"host\":\"localhost\"}");
        assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
        assertThat(json(added).get("max_body").asInt()).isEqualTo(16);
        var closed = admin(base, "POST", "/api/v1/routes", "{\"name\":\"closed\",\"path\":\"/closed\",\"service\":\"web\","
                + "\"port\":" + backend.port() + ",\"allow\":[\"192.0.2.0/24\"]}");
        assertThat(closed.statusCode()).as(closed.body()).isEqualTo(201);

        String local = base.replace("127.0.0.1", "localhost");
        HttpResponse<String> big = http.send(HttpRequest.newBuilder(URI.create(local + "/small/x"))
                .POST(HttpRequest.BodyPublishers.ofString("x".repeat(100))).build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> fits = http.send(HttpRequest.newBuilder(URI.create(local + "/small/x"))
                .POST(HttpRequest.BodyPublishers.ofString("tiny")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(big.statusCode()).as(big.body()).isEqualTo(413);
        assertThat(fits.statusCode()).isEqualTo(200);
        assertThat(get(base + "/small/x").statusCode()).as("another host").isEqualTo(404);
        HttpResponse<String> forbidden = get(base + "/closed");
        assertThat(forbidden.statusCode()).isEqualTo(403);
        assertThat(json(forbidden).get("route").asText()).isEqualTo("closed");
    }

    @Test
    void runtimeRoutesCannotLeaveTheStack() throws Exception {
        String base = gateway(stack(), Map.of(), settings());
        for (String body : List.of(
                "{\"name\":\"x\",\"path\":\"/x\",\"service\":\"127.0.0.1\",\"port\":" + backend.port() + "}",
                "{\"name\":\"x\",\"path\":\"/x\",\"service\":\"web\",\"address\":\"127.0.0.1\",\"port\":" + backend.port() + "}",
                "{\"name\":\"x\",\"path\":\"/x\",\"url\":\"http://127.0.0.1:" + backend.port() + "\"}")) {
            var refused = admin(base, "POST", "/api/v1/routes", body);
            assertThat(refused.statusCode()).as(body).isEqualTo(400);
            assertThat(json(refused).get("error").asText()).isEqualTo("invalid route");
        }
        assertThat(get(base + "/x").statusCode()).isEqualTo(404);

        var added = admin(base, "POST", "/api/v1/routes",
                "{\"name\":\"x\",\"path\":\"/x\",\"service\":\"web\",\"port\":" + backend.port() + ",\"rewrite\":\"/\"}");
        assertThat(added.statusCode()).isEqualTo(201);
        assertThat(json(get(base + "/x/y")).get("uri").asText()).isEqualTo("/y");
        assertThat(json(admin(base, "GET", "/api/v1/routes/x", null)).get("origin").asText()).isEqualTo("runtime");
        assertThat(admin(base, "DELETE", "/api/v1/routes/x", null).statusCode()).isEqualTo(204);
        assertThat(get(base + "/x/y").statusCode()).isEqualTo(404);
        assertThat(http.send(HttpRequest.newBuilder(URI.create(adminOf.get(base) + "/api/v1/routes")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).as("the token is needed").isEqualTo(401);
    }

    @Test
    void chainedGatewaysReachABackendTwoLevelsDown() throws Exception {
        String child = gateway(stack(route("api", "/api-svc", backend.port(), "/", Route.Protocol.WS)), Map.of(),
                settings(true, Duration.ofSeconds(5)));
        String parent = gateway(stack(new Route("backend", "/backend", RouteTarget.childStack("backend"), "/",
                Route.Protocol.WS, Route.Origin.DEFINITION)), Map.of("backend", URI.create(child).getPort()), settings());

        JsonNode seen = json(get(parent + "/backend/api-svc/orders?id=7"));
        assertThat(seen.get("uri").asText()).isEqualTo("/orders?id=7");
        assertThat(seen.get("headers").get("x-forwarded-prefix").asText()).isEqualTo("/backend/api-svc");
        assertThat(seen.get("headers").get("x-forwarded-for").asText()).isEqualTo("127.0.0.1, 127.0.0.1");
        assertThat(seen.get("headers").get("x-forwarded-host").asText()).isEqualTo(URI.create(parent).getAuthority());

        var unknown = get(parent + "/backend/nothing-here");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(json(unknown).get("error").asText()).as("the child names what it could not route")
                .isEqualTo("no route for /nothing-here");

        int port = URI.create(parent).getPort();
        WebSocketClient client = vertx.createWebSocketClient();
        CompletableFuture<String> reply = new CompletableFuture<>();
        client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI("/backend/api-svc/ws"))
                .onFailure(reply::completeExceptionally)
                .onSuccess(ws -> {
                    ws.textMessageHandler(reply::complete);
                    ws.writeTextMessage("deep");
                });
        assertThat(reply.get(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("echo: deep");
        assertThat(backend.lastWebSocketPath).isEqualTo("/ws");
        client.close();
    }

    /** A request with the token to the admin port of the gateway at {@code base}. */
    private HttpResponse<String> admin(String base, String method, String path, String body) throws Exception {
        return withToken(adminOf.get(base) + path, method, body);
    }

    private HttpResponse<String> withToken(String url, String method, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + TOKEN)
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }
}
