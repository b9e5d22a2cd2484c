package org.ailtire.dataplane;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import org.ailtire.gateway.Route;
import org.ailtire.gateway.RouteTarget;
import org.ailtire.stack.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The supervisor against a real HAProxy (Debian's, {@code /usr/sbin/haproxy} or AILTIRE_HAPROXY: scripts/test installs
 * it) on loopback, in front of small Vert.x backends. Fails, never skips, when the binary is missing.
 */
@Tag("integration")
class HaproxySupervisorIT {
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final List<AutoCloseable> closing = new ArrayList<>();
    private Vertx vertx;
    private int port;
    private HaproxySupervisor supervisor;
    @TempDir
    Path run;

    /** A backend that answers JSON: its name, and the request it saw; {@code /stream} holds its second line. */
    private final class Backend {
        final String name;
        final int port;
        final CompletableFuture<Void> release = new CompletableFuture<>();
        final List<String> webSocketPaths = new CopyOnWriteArrayList<>();
        final java.util.concurrent.atomic.AtomicInteger requests = new java.util.concurrent.atomic.AtomicInteger();

        int requests() {
            return requests.get();
        }

        Backend(String name) {
            this.name = name;
            HttpServer server = vertx.createHttpServer()
                    .webSocketHandler(ws -> {
                        webSocketPaths.add(ws.path());
                        ws.textMessageHandler(text -> ws.writeTextMessage(name + ": " + text));
                    })
                    .requestHandler(request -> {
                        requests.incrementAndGet();
                        if (request.path().equals("/stream")) {
                            request.response().setChunked(true).write("first\n");
                            release.thenRun(() -> vertx.runOnContext(v -> request.response().end("second\n")));
                            return;
                        }
                        JsonObject headers = new JsonObject();
                        request.headers().forEach(h -> headers.put(h.getKey().toLowerCase(java.util.Locale.ROOT), h.getValue()));
                        request.response().putHeader("Content-Type", "application/json").end(new JsonObject()
                                .put("backend", name).put("uri", request.uri()).put("headers", headers).encode());
                    });
            this.port = server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().join().actualPort();
            closing.add(() -> server.close().toCompletionStage().toCompletableFuture().join());
        }

        RouteBackend.Server server() {
            return new RouteBackend.Server(name, "127.0.0.1", port);
        }
    }

    @BeforeEach
    void start() throws Exception {
        Path binary = HaproxySupervisor.defaultBinary(System.getenv());
        assertThat(binary).as("haproxy (apt-get install haproxy, or AILTIRE_HAPROXY)").isExecutable();
        vertx = Vertx.vertx();
        port = freePort();
        supervisor = new HaproxySupervisor(binary, settings(false), Duration.ofMillis(200));
    }

    private DataPlaneSettings settings(boolean trust) {
        return DataPlaneSettings.defaults("127.0.0.1", port, trust, run.resolve("haproxy"));
    }

    @AfterEach
    void stop() throws Exception {
        supervisor.close();
        for (AutoCloseable c : closing.reversed()) {
            c.close();
        }
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static Route route(String name, String path, String rewrite, Route.Protocol protocol) {
        return new Route(name, path, RouteTarget.service("web", 8000), rewrite, protocol, Route.Origin.DEFINITION);
    }

    private static RouteBackend to(Route route, RouteBackend.Server... servers) {
        return new RouteBackend(route, new RouteBackend.Servers(List.of(servers)));
    }

    private HttpResponse<String> get(String path, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10));
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return get(path, Map.of());
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        return Json.MAPPER.readTree(response.body());
    }

    @Test
    void routesRewriteAndSetForwardedHeadersReplacingTheClientsAtTheTop() throws Exception {
        Backend web = new Backend("web");
        supervisor.start(List.of(to(route("shop", "/shop", "/", Route.Protocol.HTTP), web.server()),
                to(route("site", "/", "/", Route.Protocol.HTTP), web.server())));

        var shop = json(get("/shop/items?x=1", Map.of("X-Forwarded-For", "6.6.6.6", "X-Forwarded-Prefix", "/evil")));
        assertThat(shop.get("uri").asText()).isEqualTo("/items?x=1");
        assertThat(shop.at("/headers/x-forwarded-for").asText()).isEqualTo("127.0.0.1");
        assertThat(shop.at("/headers/x-forwarded-prefix").asText()).isEqualTo("/shop");
        assertThat(shop.at("/headers/x-forwarded-proto").asText()).isEqualTo("http");
        assertThat(shop.at("/headers/x-forwarded-host").asText()).isEqualTo("127.0.0.1:" + port);
        assertThat(shop.at("/headers/host").asText()).isEqualTo("127.0.0.1:" + port);
        assertThat(json(get("/shop")).get("uri").asText()).isEqualTo("/");
        assertThat(json(get("/shop/a.b/.well-known/..x")).get("uri").asText()).as("dots inside segments")
                .isEqualTo("/a.b/.well-known/..x");
        var shopping = json(get("/shopping"));
        assertThat(shopping.get("uri").asText()).as("/shop is a segment prefix").isEqualTo("/shopping");
        assertThat(shopping.at("/headers/x-forwarded-prefix").isMissingNode()).isTrue();
    }

    @Test
    void behindAParentTheForwardedHeadersAreExtended() throws Exception {
        supervisor.close();
        supervisor = new HaproxySupervisor(HaproxySupervisor.defaultBinary(System.getenv()), settings(true), Duration.ofMillis(200));
        Backend web = new Backend("web");
        supervisor.start(List.of(to(route("db", "/db", "/", Route.Protocol.HTTP), web.server())));

        var db = json(get("/db/items", Map.of("X-Forwarded-For", "10.0.0.9", "X-Forwarded-Prefix", "/backend",
                "X-Forwarded-Proto", "https", "X-Forwarded-Host", "shop.example")));
        assertThat(db.at("/headers/x-forwarded-for").asText()).isEqualTo("10.0.0.9, 127.0.0.1");
        assertThat(db.at("/headers/x-forwarded-prefix").asText()).isEqualTo("/backend/db");
        assertThat(db.at("/headers/x-forwarded-proto").asText()).isEqualTo("https");
        assertThat(db.at("/headers/x-forwarded-host").asText()).isEqualTo("shop.example");
    }

    @Test
    void everyAnswerOfTheGatewayItselfIsJsonNamingTheRoute() throws Exception {
        Backend web = new Backend("web");
        int closed = freePort();
        Route gone = new Route("gone", "/gone", RouteTarget.childStack("gone"), "/", Route.Protocol.WS, Route.Origin.DEFINITION);
        supervisor.start(List.of(to(route("shop", "/shop", "/", Route.Protocol.HTTP), web.server()),
                to(route("down", "/down", "/", Route.Protocol.HTTP), new RouteBackend.Server("t1", "127.0.0.1", closed)),
                new RouteBackend(gone, new RouteBackend.Unavailable(503, "child stack gone is not registered (yet)"))));

        var missing = get("/nowhere/x");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(json(missing).get("error").asText()).isEqualTo("no route for /nowhere/x");
        var down = get("/down/x");
        assertThat(down.statusCode()).isEqualTo(502);
        assertThat(down.headers().firstValue("Content-Type")).contains("application/json");
        assertThat(json(down).get("route").asText()).isEqualTo("down");
        assertThat(json(down).get("error").asText()).isEqualTo("route down (/down): service web:8000 refused the"
                + " connection or is down");
        var unregistered = get("/gone/x");
        assertThat(unregistered.statusCode()).isEqualTo(503);
        assertThat(json(unregistered).get("error").asText()).isEqualTo("route gone (/gone): child stack gone is not"
                + " registered (yet)");
        for (String odd : List.of("/shop/../x", "/shop//x", "/shop/%2e%2e/x", "/shop/a%2Fb", "/shop/.", "/./shop")) {
            var refused = get(odd);
            assertThat(refused.statusCode()).as(odd).isEqualTo(400);
            assertThat(json(refused).get("error").asText()).as(odd).contains("is not in normal form");
        }
    }

    @Test
    void aClientSlowWithItsHeadersIsCutAndAMalformedRequestRefused() throws Exception {
        supervisor.close();
        DataPlaneSettings defaults = settings(false);
        supervisor = new HaproxySupervisor(HaproxySupervisor.defaultBinary(System.getenv()), new DataPlaneSettings(
                defaults.bindAddress(), port, false, defaults.connectTimeout(), defaults.idleTimeout(),
                Duration.ofSeconds(1), defaults.tunnelTimeout(), 1, 64, 200, defaults.runDirectory()), Duration.ofMillis(200));
        Backend web = new Backend("web");
        supervisor.start(List.of(to(route("shop", "/shop", "/", Route.Protocol.HTTP), web.server())));

        try (java.net.Socket slow = new java.net.Socket("127.0.0.1", port)) {
            slow.setSoTimeout(10_000);
            slow.getOutputStream().write("GET /shop/x HTTP/1.1\r\nHost: a\r\n".getBytes(StandardCharsets.US_ASCII));
            long start = System.nanoTime();
            String answer = new String(slow.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("cut after the header timeout")
                    .isLessThan(Duration.ofSeconds(9));
            // HAProxy 2.6 answers a request it could not read with its own HTML: neither http-error nor errorfile reach it.
            assertThat(answer).startsWith("HTTP/1.1 408");
        }
        try (java.net.Socket bad = new java.net.Socket("127.0.0.1", port)) {
            bad.setSoTimeout(10_000);
            bad.getOutputStream().write("GET /shop/x HTTP/1.1\r\nHo st: a\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            String answer = new String(bad.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertThat(answer).startsWith("HTTP/1.1 400");
            assertThat(web.requests()).as("nothing reached the backend").isZero();
        }
    }

    @Test
    void webSocketsPassOnWsRoutesOnlyAndResponsesStream() throws Exception {
        Backend web = new Backend("web");
        supervisor.start(List.of(to(route("live", "/live", "/", Route.Protocol.WS), web.server()),
                to(route("shop", "/shop", "/", Route.Protocol.HTTP), web.server())));

        WebSocketClient client = vertx.createWebSocketClient();
        closing.add(() -> client.close());
        CompletableFuture<String> reply = new CompletableFuture<>();
        client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI("/live/chat"))
                .onFailure(reply::completeExceptionally)
                .onSuccess(ws -> {
                    ws.textMessageHandler(reply::complete);
                    ws.writeTextMessage("hi");
                });
        assertThat(reply.get(10, TimeUnit.SECONDS)).isEqualTo("web: hi");
        assertThat(web.webSocketPaths).containsExactly("/chat");
        CompletableFuture<Throwable> refused = new CompletableFuture<>();
        client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI("/shop/chat"))
                .onComplete(ar -> refused.complete(ar.cause()));
        assertThat(refused.get(10, TimeUnit.SECONDS)).as("an http route refuses the upgrade").isNotNull()
                .hasMessageContaining("400");

        try (var lines = streamLines("/shop/stream")) {
            assertThat(lines.readLine()).as("the first line before the backend ends its answer").isEqualTo("first");
            web.release.complete(null);
            assertThat(lines.readLine()).isEqualTo("second");
        }
    }

    private BufferedReader streamLines(String path) throws Exception {
        var response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        return new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8));
    }

    @Test
    void tasksAreAddedDrainedAndRemovedThroughTheRuntimeApiWithoutAReload() throws Exception {
        Backend one = new Backend("one");
        Backend two = new Backend("two");
        Route shop = route("shop", "/shop", "/", Route.Protocol.HTTP);
        supervisor.start(List.of(to(shop, one.server())));
        long worker = supervisor.currentWorker().orElseThrow();

        supervisor.apply(List.of(to(shop, one.server(), two.server())));
        assertThat(backendsAnswering(10)).contains("one", "two").containsOnly("one", "two");

        RouteBackend.Server draining = new RouteBackend.Server("one", "127.0.0.1", one.port, true);
        supervisor.apply(List.of(to(shop, draining, two.server())));
        assertThat(backendsAnswering(10)).containsOnly("two");

        supervisor.apply(List.of(to(shop, two.server())));
        assertThat(backendsAnswering(10)).containsOnly("two");
        assertThat(supervisor.runtime().execute("show servers state r_shop")).contains(" two ").doesNotContain(" one ");
        assertThat(supervisor.currentWorker()).as("no reload").contains(worker);
    }

    private List<String> backendsAnswering(int requests) throws Exception {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            var response = get("/shop/x");
            assertThat(response.statusCode()).isEqualTo(200);
            names.add(json(response).get("backend").asText());
        }
        return names;
    }

    @Test
    void aNewRouteIsAReloadThatLetsAStreamingAnswerFinish() throws Exception {
        Backend web = new Backend("web");
        Route shop = route("shop", "/shop", "/", Route.Protocol.HTTP);
        supervisor.start(List.of(to(shop, web.server())));
        long worker = supervisor.currentWorker().orElseThrow();

        try (var lines = streamLines("/shop/stream")) {
            assertThat(lines.readLine()).isEqualTo("first");
            supervisor.apply(List.of(to(shop, web.server()), to(route("cart", "/cart", "/", Route.Protocol.HTTP), web.server())));
            assertThat(supervisor.currentWorker()).isPresent().isNotEqualTo(java.util.Optional.of(worker));
            assertThat(json(get("/cart/x")).get("uri").asText()).isEqualTo("/x");
            web.release.complete(null);
            assertThat(lines.readLine()).as("the old worker finished its answer").isEqualTo("second");
        }
        assertThat(Files.readString(run.resolve("haproxy/haproxy.cfg"))).contains("backend r_cart");
    }

    @Test
    void haproxyKilledIsStartedAgainAndTrafficResumes() throws Exception {
        Backend web = new Backend("web");
        supervisor.start(List.of(to(route("shop", "/shop", "/", Route.Protocol.HTTP), web.server())));
        assertThat(get("/shop/x").statusCode()).isEqualTo(200);

        long worker = supervisor.currentWorker().orElseThrow();
        ProcessHandle.of(worker).orElseThrow().destroyForcibly();
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions()
                .until(() -> supervisor.starts() == 2 && get("/shop/x").statusCode() == 200);

        long master = supervisor.masterPid().orElseThrow();
        ProcessHandle.of(master).orElseThrow().destroyForcibly();
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions()
                .until(() -> supervisor.starts() == 3 && get("/shop/x").statusCode() == 200);
    }

    @Test
    void aConfigurationHaproxyRefusesIsNotAppliedAndSaysWhy() throws Exception {
        Backend web = new Backend("web");
        Route shop = route("shop", "/shop", "/", Route.Protocol.HTTP);
        supervisor.start(List.of(to(shop, web.server())));
        // Two servers of one name: the renderer passes them on, HAProxy refuses the configuration.
        assertThatThrownBy(() -> supervisor.apply(List.of(to(shop, web.server(), web.server()),
                to(route("cart", "/cart", "/", Route.Protocol.HTTP), web.server()))))
                .hasMessageContaining("haproxy refused the rendered configuration");
        assertThat(get("/shop/x").statusCode()).isEqualTo(200);
        assertThat(get("/cart/x").statusCode()).isEqualTo(404);
        assertThat(Files.readString(run.resolve("haproxy/haproxy.cfg"))).doesNotContain("r_cart");
    }
}
