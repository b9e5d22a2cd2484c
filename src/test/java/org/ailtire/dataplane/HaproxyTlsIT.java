package org.ailtire.dataplane;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import org.ailtire.gateway.Route;
import org.ailtire.gateway.RouteTarget;
import org.ailtire.tls.KeptAliveRequest;
import org.ailtire.tls.TestCertificates;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
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
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * TLS at the top gateway and host routes, against a real HAProxy on loopback (as {@link HaproxySupervisorIT}), with a
 * certificate for 127.0.0.1 made by {@code openssl} in the test. Fails, never skips, when a binary is missing.
 */
@Tag("integration")
class HaproxyTlsIT {
    private final List<AutoCloseable> closing = new ArrayList<>();
    private Vertx vertx;
    private HaproxySupervisor supervisor;
    @TempDir
    Path run;

    @BeforeEach
    void start() {
        assertThat(HaproxySupervisor.defaultBinary(System.getenv())).as("haproxy").isExecutable();
        vertx = Vertx.vertx();
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

    /** A backend answering its name and the headers it saw. */
    private RouteBackend.Server backend(String name) {
        HttpServer server = vertx.createHttpServer().requestHandler(request -> {
            JsonObject headers = new JsonObject();
            request.headers().forEach(h -> headers.put(h.getKey().toLowerCase(Locale.ROOT), h.getValue()));
            request.response().putHeader("Content-Type", "application/json").end(new JsonObject()
                    .put("backend", name).put("uri", request.uri()).put("headers", headers).encode());
        });
        int port = server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().join().actualPort();
        closing.add(() -> server.close().toCompletionStage().toCompletableFuture().join());
        return new RouteBackend.Server(name, "127.0.0.1", port);
    }

    private static RouteBackend route(String name, String host, String path, RouteBackend.Server server) {
        return new RouteBackend(new Route(name, path, RouteTarget.service(name, 8000), path, Route.Protocol.HTTP, host,
                Route.Origin.DEFINITION), new RouteBackend.Servers(List.of(server)));
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** A self-signed certificate for 127.0.0.1 and its key, in one PEM as the controller hands it to HAProxy. */
    private Path certificate() throws Exception {
        return TestCertificates.make(run, "gateway", "ec").combined(run.resolve("tls.pem"));
    }

    private SSLContext trusting(Path pem) throws Exception {
        return TestCertificates.trusting(pem);
    }

    private DataPlaneSettings settings(int port) {
        return DataPlaneSettings.defaults("127.0.0.1", port, false, run.resolve("haproxy"));
    }

    @Test
    void theGatewayServesHttpsWithHttp2ByAlpnAndTellsTheTargetItWasHttps() throws Exception {
        Path pem = certificate();
        int port = freePort();
        supervisor = new HaproxySupervisor(HaproxySupervisor.defaultBinary(System.getenv()),
                settings(port).withTls(new GatewayTls(pem, 0, port)), Duration.ofMillis(200));
        supervisor.start(List.of(route("web", "", "/", backend("web")), route("local", "localhost", "/", backend("local"))));
        SSLContext trust = trusting(pem);

        for (HttpClient.Version version : List.of(HttpClient.Version.HTTP_2, HttpClient.Version.HTTP_1_1)) {
            try (HttpClient client = HttpClient.newBuilder().sslContext(trust).version(version)
                    .connectTimeout(Duration.ofSeconds(5)).build()) {
                HttpResponse<String> response = client.send(HttpRequest.newBuilder(
                        URI.create("https://127.0.0.1:" + port + "/hello")).build(), HttpResponse.BodyHandlers.ofString());

                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(response.version()).as("negotiated by ALPN").isEqualTo(version);
                JsonObject seen = new JsonObject(response.body());
                assertThat(seen.getString("uri")).isEqualTo("/hello");
                assertThat(seen.getJsonObject("headers").getString("x-forwarded-proto")).isEqualTo("https");
            }
        }
        // Over HTTP/2 the host is the request's :authority, which host routes match as a Host header.
        try (HttpClient client = HttpClient.newBuilder().sslContext(trust).version(HttpClient.Version.HTTP_2)
                .connectTimeout(Duration.ofSeconds(5)).build()) {
            HttpResponse<String> local = client.send(HttpRequest.newBuilder(
                    URI.create("https://localhost:" + port + "/")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(local.version()).isEqualTo(HttpClient.Version.HTTP_2);
            assertThat(new JsonObject(local.body()).getString("backend")).isEqualTo("local");
        }
        // Plain HTTP on the TLS port is not served.
        try (HttpClient plain = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build()) {
            int status;
            try {
                status = plain.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/hello")).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode();
            } catch (java.io.IOException refused) {
                status = -1;
            }
            assertThat(status).isNotEqualTo(200);
        }
    }

    @Test
    void anotherCertificateIsServedWithoutAReloadAndOpenConnectionsStay() throws Exception {
        TestCertificates.Pair first = TestCertificates.make(run, "first", "ec");
        TestCertificates.Pair second = TestCertificates.make(run, "second", "rsa");
        Path pem = first.combined(run.resolve("tls.pem"));
        int port = freePort();
        supervisor = new HaproxySupervisor(HaproxySupervisor.defaultBinary(System.getenv()),
                settings(port).withTls(new GatewayTls(pem, 0, port)), Duration.ofMillis(200));
        supervisor.start(List.of(route("web", "", "/", backend("web"))));
        long worker = supervisor.currentWorker().orElseThrow();

        try (javax.net.ssl.SSLSocket open = (javax.net.ssl.SSLSocket) trusting(first.certificate()).getSocketFactory()
                .createSocket("127.0.0.1", port)) {
            open.setSoTimeout(5000);
            assertThat(KeptAliveRequest.get(open, "\"backend\"")).as("before").startsWith("HTTP/1.1 200");

            supervisor.replaceCertificate(java.nio.file.Files.readAllBytes(second.combined(run.resolve("next.pem"))));

            assertThat(KeptAliveRequest.get(open, "\"backend\"")).as("the connection opened before, still served").startsWith("HTTP/1.1 200");
            assertThat(open.getSession().getPeerCertificates()[0]).as("it keeps the certificate it shook hands with")
                    .isEqualTo(certificateIn(first.certificate()));
        }
        try (HttpClient client = HttpClient.newBuilder().sslContext(trusting(second.certificate()))
                .connectTimeout(Duration.ofSeconds(5)).build()) {
            assertThat(client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).as("a new handshake gets the new one").isEqualTo(200);
        }
        assertThat(supervisor.currentWorker()).as("no reload: the same worker serves").hasValue(worker);
        assertThat(java.nio.file.Files.readString(pem)).as("written where a reload or restart reads it")
                .contains(java.nio.file.Files.readString(second.certificate()).strip());
    }

    @Test
    void aCertificateHaproxyRefusesLeavesThePreviousOneServing() throws Exception {
        TestCertificates.Pair first = TestCertificates.make(run, "first", "ec");
        Path pem = first.combined(run.resolve("tls.pem"));
        String before = java.nio.file.Files.readString(pem);
        int port = freePort();
        supervisor = new HaproxySupervisor(HaproxySupervisor.defaultBinary(System.getenv()),
                settings(port).withTls(new GatewayTls(pem, 0, port)), Duration.ofMillis(200));
        supervisor.start(List.of(route("web", "", "/", backend("web"))));

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> supervisor.replaceCertificate(
                        "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n"
                                .getBytes(StandardCharsets.US_ASCII)))
                .isInstanceOf(java.io.IOException.class);

        assertThat(java.nio.file.Files.readString(pem)).as("the previous file is put back").isEqualTo(before);
        try (HttpClient client = HttpClient.newBuilder().sslContext(trusting(first.certificate()))
                .connectTimeout(Duration.ofSeconds(5)).build()) {
            assertThat(client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        }
    }

    private static java.security.cert.Certificate certificateIn(Path pem) throws Exception {
        try (var in = java.nio.file.Files.newInputStream(pem)) {
            return java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    @Test
    void theRedirectPortSendsEveryRequestToHttpsKeepingHostAndUri() throws Exception {
        Path pem = certificate();
        int port = freePort();
        int redirect = freePort();
        supervisor = new HaproxySupervisor(HaproxySupervisor.defaultBinary(System.getenv()),
                settings(port).withTls(new GatewayTls(pem, redirect, port)), Duration.ofMillis(200));
        supervisor.start(List.of(route("web", "", "/", backend("web"))));

        try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build()) {
            HttpResponse<String> get = client.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + redirect + "/shop/a?b=1")).build(), HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> post = client.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + redirect + "/shop/cart")).POST(HttpRequest.BodyPublishers.ofString("{}"))
                    .build(), HttpResponse.BodyHandlers.ofString());

            assertThat(get.statusCode()).isEqualTo(301);
            assertThat(get.headers().firstValue("location")).hasValue("https://127.0.0.1:" + port + "/shop/a?b=1");
            assertThat(post.statusCode()).as("the method is kept").isEqualTo(308);
            assertThat(post.headers().firstValue("location")).hasValue("https://127.0.0.1:" + port + "/shop/cart");
        }
        // And following it reaches the target.
        try (HttpClient client = HttpClient.newBuilder().sslContext(trusting(pem))
                .followRedirects(HttpClient.Redirect.ALWAYS).connectTimeout(Duration.ofSeconds(5)).build()) {
            HttpResponse<String> followed = client.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + redirect + "/x")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(followed.statusCode()).isEqualTo(200);
            assertThat(followed.uri().getScheme()).isEqualTo("https");
        }
    }

    @Test
    void withHstsEveryHttpsAnswerCarriesTheHeaderAndThePlainRedirectsDoNot() throws Exception {
        Path pem = certificate();
        int port = freePort();
        int redirect = freePort();
        supervisor = new HaproxySupervisor(HaproxySupervisor.defaultBinary(System.getenv()),
                settings(port).withTls(new GatewayTls(pem, redirect, port,
                        java.util.Optional.of(new Hsts(31536000, true)))), Duration.ofMillis(200));
        supervisor.start(List.of(route("web", "", "/web", backend("web"))));
        String expected = "max-age=31536000; includeSubDomains";

        for (HttpClient.Version version : List.of(HttpClient.Version.HTTP_2, HttpClient.Version.HTTP_1_1)) {
            try (HttpClient client = HttpClient.newBuilder().sslContext(trusting(pem)).version(version)
                    .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build()) {
                HttpResponse<String> routed = client.send(HttpRequest.newBuilder(
                        URI.create("https://127.0.0.1:" + port + "/web/a")).build(), HttpResponse.BodyHandlers.ofString());
                HttpResponse<String> unrouted = client.send(HttpRequest.newBuilder(
                        URI.create("https://127.0.0.1:" + port + "/nothing")).build(), HttpResponse.BodyHandlers.ofString());

                assertThat(routed.statusCode()).isEqualTo(200);
                assertThat(routed.version()).isEqualTo(version);
                assertThat(routed.headers().allValues("strict-transport-security")).as("a target's answer, " + version)
                        .containsExactly(expected);
                assertThat(unrouted.statusCode()).isEqualTo(404);
                assertThat(unrouted.headers().allValues("strict-transport-security"))
                        .as("the gateway's own answer, " + version).containsExactly(expected);
            }
        }
        try (HttpClient plain = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build()) {
            HttpResponse<String> redirected = plain.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + redirect + "/web/a")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(redirected.statusCode()).isEqualTo(301);
            assertThat(redirected.headers().firstValue("strict-transport-security")).as("never over plain HTTP")
                    .isEmpty();
        }
    }

    @Test
    void hostRoutesWinOverHostLessOnesAndIgnoreCaseAndPort() throws Exception {
        int port = freePort();
        supervisor = new HaproxySupervisor(HaproxySupervisor.defaultBinary(System.getenv()), settings(port),
                Duration.ofMillis(200));
        RouteBackend.Server shop = backend("shop");
        RouteBackend.Server blog = backend("blog");
        RouteBackend.Server site = backend("site");
        RouteBackend.Server api = backend("api");
        supervisor.start(List.of(route("shop", "shop.example.com", "/", shop),
                route("blog", "*.example.org", "/", blog),
                route("site", "", "/", site),
                route("api", "", "/api-v1", api)));

        assertThat(backendFor(port, "shop.example.com", "/")).isEqualTo("shop");
        assertThat(backendFor(port, "SHOP.Example.COM:" + port, "/api-v1/x")).as("a host route beats a longer path")
                .isEqualTo("shop");
        assertThat(backendFor(port, "news.example.org", "/a")).isEqualTo("blog");
        assertThat(backendFor(port, "example.org", "/a")).as("a wildcard is one label under its domain")
                .isEqualTo("site");
        assertThat(backendFor(port, "a.b.example.org", "/a")).isEqualTo("site");
        assertThat(backendFor(port, "other.example.com", "/api-v1/x")).isEqualTo("api");
        assertThat(backendFor(port, "127.0.0.1:" + port, "/")).isEqualTo("site");
    }

    /** One HTTP/1.1 request with the given Host header (which Java's HttpClient does not let one set). */
    private static String backendFor(int port, String host, String path) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(response).as(host + path).startsWith("HTTP/1.1 200");
            return new JsonObject(response.substring(response.indexOf("\r\n\r\n") + 4)).getString("backend");
        }
    }
}
