package org.ailtire.dataplane;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import org.ailtire.definition.RouteFirewall;
import org.ailtire.gateway.Route;
import org.ailtire.gateway.RouteTarget;
import org.ailtire.stack.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Each firewall key of a route against a real HAProxy on loopback (as {@link HaproxySupervisorIT}), in front of small
 * local backends: what a client gets, and what the target sees. Fails, never skips, when haproxy is missing.
 */
@Tag("integration")
class RouteFirewallIT {
    /** "wonderland" hashed with each accepted scheme (python3's crypt, Debian's libxcrypt). */
    static final Map<String, String> WONDERLAND = Map.of(
            "sha512", "$6$bYt6m/I.ccbDGNuL$ZwzeklhTuWIsDrprCc/gmhENF5fQ3gHLgPlSlwVflfFw8d/sPyE6DjvaHxLHV6MYnkUo3m7e4OvPf9UoGnqUT0",
            "sha256", "$5$RIlaHSMbrEGw0kiz$./jWd0sQja5SGfINvevVsZYcFGQabQOtqEcW7rqfZ26",
            "bcrypt", "$2y$05$abcdefghijklmnopqrstuuA0vov2GDneHB3.8.cv9UF9g.RdvScIW",
            "yescrypt", "$y$j9T$abcdefghijklmnop$TEjqn/axP6s2k870Y8qmsWKT4abEwlBzgTkuGZBqaR6");

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final List<AutoCloseable> closing = new ArrayList<>();
    private Vertx vertx;
    private int port;
    private HaproxySupervisor supervisor;
    @TempDir
    Path run;

    /** Answers JSON with its name, the request's URI and headers; {@code /slow} answers after 5 s. */
    private final class Backend {
        final String name;
        final int port;
        final AtomicInteger requests = new AtomicInteger();

        Backend(String name) {
            this.name = name;
            HttpServer server = vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
                requests.incrementAndGet();
                JsonObject headers = new JsonObject();
                request.headers().forEach(h -> headers.put(h.getKey().toLowerCase(java.util.Locale.ROOT), h.getValue()));
                String answer = new JsonObject().put("backend", name).put("uri", request.uri())
                        .put("method", request.method().name()).put("body", body.length()).put("headers", headers).encode();
                if (request.path().equals("/slow")) {
                    vertx.setTimer(5000, t -> request.response().putHeader("Content-Type", "application/json").end(answer));
                } else {
                    request.response().putHeader("Content-Type", "application/json").end(answer);
                }
            }));
            this.port = server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().join().actualPort();
            closing.add(() -> server.close().toCompletionStage().toCompletableFuture().join());
        }

        RouteBackend.Server server() {
            return new RouteBackend.Server(name, "127.0.0.1", port);
        }
    }

    /** Takes connections and never answers: a task that hangs. */
    private final class Silent {
        final ServerSocket socket;
        final AtomicInteger accepted = new AtomicInteger();
        final List<Socket> held = new CopyOnWriteArrayList<>();

        Silent() throws IOException {
            socket = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
            Thread.ofVirtual().start(() -> {
                try {
                    while (true) {
                        held.add(socket.accept());
                        accepted.incrementAndGet();
                    }
                } catch (IOException closed) {
                    // the test is over
                }
            });
            closing.add(() -> {
                socket.close();
                for (Socket s : held) {
                    s.close();
                }
            });
        }

        RouteBackend.Server server() {
            return new RouteBackend.Server("silent", "127.0.0.1", socket.getLocalPort());
        }
    }

    @BeforeEach
    void start() throws Exception {
        Path binary = HaproxySupervisor.defaultBinary(System.getenv());
        assertThat(binary).as("haproxy (apt-get install haproxy, or AILTIRE_HAPROXY)").isExecutable();
        vertx = Vertx.vertx();
        port = freePort();
    }

    @AfterEach
    void stop() throws Exception {
        if (supervisor != null) {
            supervisor.close();
        }
        for (AutoCloseable c : closing.reversed()) {
            c.close();
        }
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    private void serve(DataPlaneSettings settings, RouteBackend... routes) throws Exception {
        supervisor = new HaproxySupervisor(HaproxySupervisor.defaultBinary(System.getenv()), settings, Duration.ofMillis(200));
        supervisor.start(List.of(routes));
    }

    private void serve(RouteBackend... routes) throws Exception {
        serve(DataPlaneSettings.defaults("127.0.0.1", port, false, run.resolve("haproxy")), routes);
    }

    private DataPlaneSettings settings(Duration headerTimeout, int connectionsPerClient) {
        DataPlaneSettings d = DataPlaneSettings.defaults("127.0.0.1", port, false, run.resolve("haproxy"));
        return new DataPlaneSettings(d.bindAddress(), port, false, d.connectTimeout(), d.idleTimeout(), headerTimeout,
                d.tunnelTimeout(), 1, 256, connectionsPerClient, d.runDirectory());
    }

    static RouteFirewall firewall(Optional<RouteFirewall.RateLimit> rate, List<String> allow,
                                  Optional<RouteFirewall.BasicAuth> auth, OptionalLong maxBody,
                                  Optional<Duration> timeout, OptionalInt retries) {
        return new RouteFirewall(rate, allow, auth, maxBody, timeout, retries);
    }

    private static RouteBackend to(String name, RouteFirewall firewall, RouteBackend.Server... servers) {
        Route route = new Route(name, "/" + name, RouteTarget.service("web", 8000), "/", Route.Protocol.HTTP,
                Route.Origin.DEFINITION, firewall);
        return new RouteBackend(route, new RouteBackend.Servers(List.of(servers)));
    }

    private HttpResponse<String> send(String method, String path, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(20)).method(method, HttpRequest.BodyPublishers.noBody());
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path, Map<String, String> headers) throws Exception {
        return send("GET", path, headers);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return get(path, Map.of());
    }

    /** One request as raw bytes on its own connection ({@code Connection: close}); the whole answer as text. */
    private String raw(String request) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(20_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        return Json.MAPPER.readTree(response.body());
    }

    private static JsonNode json(String rawAnswer) throws Exception {
        return Json.MAPPER.readTree(rawAnswer.substring(rawAnswer.indexOf("\r\n\r\n") + 4));
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aClientAddressGets429AfterItsRequestsInThePeriod() throws Exception {
        Backend web = new Backend("web");
        serve(to("limited", firewall(Optional.of(new RouteFirewall.RateLimit(3, Duration.ofSeconds(20))), List.of(),
                        Optional.empty(), OptionalLong.empty(), Optional.empty(), OptionalInt.empty()), web.server()),
                to("free", RouteFirewall.NONE, web.server()));

        for (int i = 0; i < 3; i++) {
            assertThat(get("/limited/x").statusCode()).as("request " + (i + 1)).isEqualTo(200);
        }
        var refused = get("/limited/x");
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.headers().firstValue("Retry-After")).contains("20");
        assertThat(refused.headers().firstValue("Content-Type")).contains("application/json");
        assertThat(json(refused).get("error").asText())
                .isEqualTo("route limited (/limited): more than 3 requests in 20000 ms from your address");
        assertThat(json(refused).get("route").asText()).isEqualTo("limited");
        assertThat(json(refused).get("path").asText()).isEqualTo("/limited");
        assertThat(web.requests.get()).isEqualTo(3);
        assertThat(get("/free/x").statusCode()).as("another route counts on its own").isEqualTo(200);
    }

    @Test
    void anAddressOutsideTheAllowListGets403() throws Exception {
        Backend web = new Backend("web");
        RouteFirewall outside = firewall(Optional.empty(), List.of("10.1.2.3", "fd00::/8"), Optional.empty(),
                OptionalLong.empty(), Optional.empty(), OptionalInt.empty());
        RouteFirewall inside = firewall(Optional.empty(), List.of("10.0.0.0/8", "127.0.0.0/8"), Optional.empty(),
                OptionalLong.empty(), Optional.empty(), OptionalInt.empty());
        serve(to("closed", outside, web.server()), to("open", inside, web.server()));

        var refused = get("/closed/x");
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(json(refused).get("error").asText()).isEqualTo("route closed (/closed): your address is not allowed");
        assertThat(json(refused).get("route").asText()).isEqualTo("closed");
        assertThat(get("/open/x").statusCode()).isEqualTo(200);
        assertThat(web.requests.get()).isEqualTo(1);
    }

    @Test
    void behindAParentTheClientIsTheFirstForwardedAddress() throws Exception {
        Backend web = new Backend("web");
        DataPlaneSettings d = DataPlaneSettings.defaults("127.0.0.1", port, true, run.resolve("haproxy"));
        serve(d, to("db", firewall(Optional.of(new RouteFirewall.RateLimit(1, Duration.ofSeconds(20))),
                List.of("10.9.9.0/24"), Optional.empty(), OptionalLong.empty(), Optional.empty(), OptionalInt.empty()),
                web.server()));

        assertThat(get("/db/x").statusCode()).as("the connection's own address, 127.0.0.1").isEqualTo(403);
        assertThat(get("/db/x", Map.of("X-Forwarded-For", "10.9.9.8, 127.0.0.1")).statusCode()).isEqualTo(200);
        assertThat(get("/db/x", Map.of("X-Forwarded-For", "10.9.9.9, 127.0.0.1")).statusCode())
                .as("another client counts on its own").isEqualTo(200);
        assertThat(get("/db/x", Map.of("X-Forwarded-For", "10.9.9.8")).statusCode()).isEqualTo(429);
        assertThat(get("/db/x", Map.of("X-Forwarded-For", "10.1.1.1, 10.9.9.8")).statusCode())
                .as("only the first address counts").isEqualTo(403);
    }

    @Test
    void basicAuthAsksWithTheRouteAsRealmChecksEachHashSchemeAndKeepsTheCredentialsFromTheTarget() throws Exception {
        Backend web = new Backend("web");
        serve(to("secret", firewall(Optional.empty(), List.of(), Optional.of(new RouteFirewall.BasicAuth(WONDERLAND)),
                OptionalLong.empty(), Optional.empty(), OptionalInt.empty()), web.server()));

        var anonymous = get("/secret/x");
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().allValues("WWW-Authenticate")).containsExactly("Basic realm=\"secret\"");
        assertThat(json(anonymous).get("error").asText()).isEqualTo("route secret (/secret): authentication required");
        assertThat(json(anonymous).get("route").asText()).isEqualTo("secret");
        assertThat(get("/secret/x", Map.of("Authorization", basic("sha512", "alice"))).statusCode())
                .as("wrong password").isEqualTo(401);
        assertThat(get("/secret/x", Map.of("Authorization", basic("nobody", "wonderland"))).statusCode())
                .as("unknown user").isEqualTo(401);
        for (String user : WONDERLAND.keySet()) {
            var answer = get("/secret/x", Map.of("Authorization", basic(user, "wonderland")));
            assertThat(answer.statusCode()).as(user).isEqualTo(200);
            assertThat(json(answer).at("/headers/authorization").isMissingNode()).as("the target sees no credentials")
                    .isTrue();
        }
        assertThat(web.requests.get()).isEqualTo(WONDERLAND.size());
    }

    @Test
    void aBodyOverTheLimitGets413AndAChunkedOne411() throws Exception {
        Backend web = new Backend("web");
        serve(to("upload", firewall(Optional.empty(), List.of(), Optional.empty(), OptionalLong.of(1024),
                Optional.empty(), OptionalInt.empty()), web.server()));

        String fits = raw("POST /upload/x HTTP/1.1\r\nHost: a\r\nConnection: close\r\nContent-Length: 1024\r\n\r\n"
                + "a".repeat(1024));
        assertThat(fits).startsWith("HTTP/1.1 200");
        assertThat(json(fits).get("body").asInt()).isEqualTo(1024);
        // The announced length is enough: the body is never sent.
        String tooBig = raw("POST /upload/x HTTP/1.1\r\nHost: a\r\nConnection: close\r\nContent-Length: 1025\r\n\r\n");
        assertThat(tooBig).startsWith("HTTP/1.1 413");
        assertThat(json(tooBig).get("error").asText())
                .isEqualTo("route upload (/upload): the request body is larger than 1024 bytes");
        String chunked = raw("POST /upload/x HTTP/1.1\r\nHost: a\r\nConnection: close\r\nTransfer-Encoding: chunked"
                + "\r\n\r\n5\r\nhello\r\n0\r\n\r\n");
        assertThat(chunked).startsWith("HTTP/1.1 411");
        assertThat(json(chunked).get("route").asText()).isEqualTo("upload");
        assertThat(web.requests.get()).isEqualTo(1);
    }

    @Test
    void aTargetSilentPastTheRoutesTimeoutGets504() throws Exception {
        Backend web = new Backend("web");
        serve(to("quick", firewall(Optional.empty(), List.of(), Optional.empty(), OptionalLong.empty(),
                Optional.of(Duration.ofMillis(1500)), OptionalInt.of(0)), web.server()));

        assertThat(get("/quick/x").statusCode()).isEqualTo(200);
        var late = get("/quick/slow");
        assertThat(late.statusCode()).isEqualTo(504);
        assertThat(json(late).get("error").asText())
                .isEqualTo("route quick (/quick): service web:8000 did not answer within 1500 ms");
    }

    @Test
    void aRefusedConnectionIsTriedAgainOnAnotherTaskForEveryMethod() throws Exception {
        Backend web = new Backend("web");
        int closed = freePort();
        serve(to("shop", firewall(Optional.empty(), List.of(), Optional.empty(), OptionalLong.empty(),
                Optional.empty(), OptionalInt.of(1)), new RouteBackend.Server("gone", "127.0.0.1", closed), web.server()));

        for (String method : List.of("GET", "POST", "GET", "POST")) {
            var answer = send(method, "/shop/x", Map.of());
            assertThat(answer.statusCode()).as(method).isEqualTo(200);
            assertThat(json(answer).get("method").asText()).isEqualTo(method);
        }
        assertThat(web.requests.get()).isEqualTo(4);
    }

    @Test
    void aSilentTaskIsLeftForAnotherOnlyByIdempotentRequests() throws Exception {
        Backend web = new Backend("web");
        Silent silent = new Silent();
        serve(to("shop", firewall(Optional.empty(), List.of(), Optional.empty(), OptionalLong.empty(),
                Optional.of(Duration.ofMillis(1500)), OptionalInt.of(1)), silent.server(), web.server()));

        for (String method : List.of("GET", "HEAD", "PUT", "DELETE", "OPTIONS", "GET")) {
            assertThat(send(method, "/shop/x", Map.of()).statusCode()).as(method).isEqualTo(200);
        }
        assertThat(silent.accepted.get()).as("the silent task was tried").isPositive();
        List<Integer> posts = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            posts.add(send("POST", "/shop/x", Map.of()).statusCode());
        }
        assertThat(posts).as("a POST that reached the silent task is not sent again").contains(504);
    }

    @Test
    void oneClientAddressHoldsAtMostItsConnectionsAtOnce() throws Exception {
        Backend web = new Backend("web");
        serve(settings(Duration.ofSeconds(10), 3), to("shop", RouteFirewall.NONE, web.server()));

        List<Socket> held = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                Socket socket = new Socket("127.0.0.1", port);
                held.add(socket);
                socket.getOutputStream().write("GET /shop/x HTTP/1.1\r\nHost: a\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                assertThat(readHead(socket.getInputStream())).startsWith("HTTP/1.1 200");
            }
            try (Socket fourth = new Socket("127.0.0.1", port)) {
                fourth.setSoTimeout(10_000);
                try {
                    fourth.getOutputStream().write("GET /shop/x HTTP/1.1\r\nHost: a\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                } catch (IOException reset) {
                    // closed as soon as it was accepted
                }
                assertThat(readOrReset(fourth.getInputStream())).as("closed without an answer").isEmpty();
            }
            held.removeFirst().close();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(get("/shop/x").statusCode()).isEqualTo(200));
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
    }

    @Test
    void aClientDribblingItsHeadersIsCutAtTheHeaderTimeout() throws Exception {
        Backend web = new Backend("web");
        serve(settings(Duration.ofSeconds(2), 200), to("shop", RouteFirewall.NONE, web.server()));

        try (Socket slow = new Socket("127.0.0.1", port)) {
            slow.setSoTimeout(30_000);
            OutputStream out = slow.getOutputStream();
            out.write("GET /shop/x HTTP/1.1\r\nHost: a\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
            // One byte every 200 ms: 20 s in all, far past the 2 s header timeout, never silent for long.
            int sent = 0;
            try {
                for (; sent < 100; sent++) {
                    out.write('a');
                    out.flush();
                    Thread.sleep(200);
                    if (slow.getInputStream().available() > 0) {
                        break;
                    }
                }
            } catch (IOException cut) {
                // the gateway closed the connection while the client was still sending
            }
            assertThat(sent).as("cut while still sending its headers").isLessThan(100);
            assertThat(readOrReset(slow.getInputStream())).startsWith("HTTP/1.1 408");
        }
        assertThat(web.requests.get()).isZero();
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                break;
            }
            head.append((char) c);
        }
        int length = 0;
        for (String line : head.toString().split("\r\n")) {
            if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).strip());
            }
        }
        in.readNBytes(length);
        return head.toString();
    }

    /** What the server sent before it closed; a reset counts as the end. */
    private static String readOrReset(InputStream in) {
        java.io.ByteArrayOutputStream read = new java.io.ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        try {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                read.write(buffer, 0, n);
            }
        } catch (IOException reset) {
            // closed hard: what came before is the answer
        }
        return read.toString(StandardCharsets.ISO_8859_1);
    }
}
