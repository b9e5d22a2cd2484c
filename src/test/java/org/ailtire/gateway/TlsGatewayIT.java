package org.ailtire.gateway;

import org.ailtire.cli.Main;
import org.ailtire.swarm.testsupport.TestSwarm;
import org.ailtire.tls.KeptAliveRequest;
import org.ailtire.tls.TestCertificates;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * An application deployed through the CLI with {@code --tls-cert/--tls-key --https-redirect} on the real engine: the
 * top gateway serves https (HTTP/2 by ALPN) on 127.0.0.1, routes by Host header, and its plain port redirects to
 * https. Another certificate given through {@code tls} is served at once with no request failed and an open
 * connection kept, and again after the top controller's container is killed and replaced. A deploy again with
 * another certificate hands it over the same way (same container, no request failed), and it is served after a kill
 * too; a deploy changing the definition and the certificate at once serves both. HSTS rides on the HTTPS answers
 * only.
 */
@Tag("integration")
class TlsGatewayIT {
    private static final String DEFINITION = """
            services:
              shop:
                image: ailtire/busybox:local
                command: ["sh", "-c", "mkdir -p /www && echo shop > /www/index.html && exec httpd -f -p 8000 -h /www"]
                stop_grace_period: 1s
                x-ailtire:
                  routes:
                    - {path: /, port: 8000, host: shop.example.test}
              site:
                image: ailtire/busybox:local
                command: ["sh", "-c", "mkdir -p /www && echo site > /www/index.html && exec httpd -f -p 8000 -h /www"]
                stop_grace_period: 1s
                x-ailtire:
                  routes:
                    - {path: /, port: 8000}
            """;

    @Test
    void theTopGatewayServesHttpsRoutesByHostAndRedirectsPlainHttp(@TempDir Path temp) throws Exception {
        String app = "it-tls-" + UUID.randomUUID().toString().substring(0, 6);
        int[] ports = freePorts(3);
        int port = ports[0];
        int adminPort = ports[1];
        int httpPort = ports[2];
        Path home = temp.resolve("home");
        Path definition = Files.createDirectories(temp.resolve(app)).resolve("stack.yml");
        Files.writeString(definition, DEFINITION);
        TestCertificates.Pair first = TestCertificates.make(temp, "first", "ec");
        TestCertificates.Pair second = TestCertificates.make(temp, "second", "rsa");
        TestCertificates.Pair third = TestCertificates.make(temp, "third", "ec");
        TestCertificates.Pair fourth = TestCertificates.make(temp, "fourth", "ec");
        String https = "https://127.0.0.1:" + port;
        try {
            CliRun deploy = deploy(home, definition, app, ports, first);
            assertThat(deploy.code()).as(deploy.output()).isEqualTo(Main.OK);
            assertThat(deploy.output()).contains("is up: " + https + "/");

            SSLContext trustFirst = TestCertificates.trusting(first.certificate());
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                HttpResponse<String> site = get(trustFirst, https + "/");
                assertThat(site.statusCode()).as(site.body()).isEqualTo(200);
                assertThat(site.body()).isEqualTo("site\n");
                assertThat(site.version()).as("HTTP/2 by ALPN").isEqualTo(HttpClient.Version.HTTP_2);
                assertThat(site.headers().firstValue("strict-transport-security")).as("--hsts-max-age")
                        .hasValue("max-age=600");
            });
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(bodyFor(trustFirst, port, "Shop.Example.TEST:" + port)).isEqualTo("shop\n"));
            assertThat(bodyFor(trustFirst, port, "other.example.test")).isEqualTo("site\n");

            try (HttpClient plain = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
                    .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build()) {
                HttpResponse<String> redirect = plain.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + httpPort + "/a/b?c=1")).timeout(Duration.ofSeconds(10)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(redirect.statusCode()).isEqualTo(301);
                assertThat(redirect.headers().firstValue("location")).hasValue(https + "/a/b?c=1");
                assertThat(redirect.headers().firstValue("strict-transport-security")).as("never on plain HTTP")
                        .isEmpty();
            }

            // Another certificate through `tls`: swapped in the running gateway, nothing restarts, nothing fails.
            SSLContext trustSecond = TestCertificates.trusting(second.certificate());
            SSLContext trustBoth = TestCertificates.trusting(first.certificate(), second.certificate());
            try (Poller poller = new Poller(trustBoth, https + "/");
                 SSLSocket open = (SSLSocket) trustFirst.getSocketFactory().createSocket("127.0.0.1", port)) {
                open.setSoTimeout(5000);
                assertThat(KeptAliveRequest.get(open, "site\n")).as("a connection opened before").startsWith("HTTP/1.1 200");
                String topContainer = topControllerContainer(app);
                Thread.sleep(1000); // polled before, during and after the replacement
                CliRun replaced = CliRun.of(home, "tls", "--app", app, "--tls-cert", second.certificate().toString(),
                        "--tls-key", second.key().toString());
                assertThat(replaced.code()).as(replaced.output()).isEqualTo(Main.OK);
                assertThat(replaced.output()).contains("now serving, without a restart: CN=second");
                assertThat(get(trustSecond, https + "/").statusCode()).as("new handshakes get the new one at once")
                        .isEqualTo(200);
                assertThat(KeptAliveRequest.get(open, "site\n")).as("the connection opened before is still served")
                        .startsWith("HTTP/1.1 200");
                assertThat(topControllerContainer(app)).as("the same top controller container").isEqualTo(topContainer);
                Thread.sleep(1000);
                poller.stop();
                assertThat(poller.failures()).as("requests failed while the certificate was replaced").isEmpty();
                System.out.println("TlsGatewayIT: certificate replaced through `tls`: " + poller.sent()
                        + " requests (new connection each), 0 failed; the open connection kept");
            }
            // A context of its own: the first one's cached TLS session would be resumed without a certificate.
            assertThatThrownBy(() -> get(TestCertificates.trusting(first.certificate()), https + "/"))
                    .as("the old certificate is no longer served to a new session")
                    .isInstanceOf(javax.net.ssl.SSLHandshakeException.class);
            CliRun shown = CliRun.of(home, "tls", "--app", app);
            assertThat(shown.code()).as(shown.output()).isEqualTo(Main.OK);
            assertThat(shown.output()).contains("serving CN=second").contains(" by ");

            // Kept for restarts: the top controller's container killed, swarm starts another, which serves it.
            try (var docker = org.ailtire.swarm.DockerClients.connect()) {
                docker.killContainerCmd(topControllerContainer(app)).exec();
            }
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                    .untilAsserted(() -> assertThat(get(trustSecond, https + "/").statusCode()).isEqualTo(200));
            assertThat(bodyFor(trustSecond, port, "shop.example.test")).isEqualTo("shop\n");

            // A deploy with another certificate: handed to the running top gateway as `tls` does, so the top
            // controller is not restarted, nothing fails, and it wins over the one given through `tls`.
            SSLContext trustThird = TestCertificates.trusting(third.certificate());
            SSLContext trustAll = TestCertificates.trusting(first.certificate(), second.certificate(),
                    third.certificate());
            String topContainer = topControllerContainer(app);
            try (Poller poller = new Poller(trustAll, https + "/")) {
                Thread.sleep(1000);
                Instant began = Instant.now();
                CliRun again = deploy(home, definition, app, ports, third);
                Duration took = Duration.between(began, Instant.now());
                assertThat(again.code()).as(again.output()).isEqualTo(Main.OK);
                assertThat(again.output()).contains("certificate CN=third handed to the top gateway");
                assertThat(get(trustThird, https + "/").statusCode()).as("served when the deploy is done")
                        .isEqualTo(200);
                Thread.sleep(1000);
                poller.stop();
                assertThat(poller.failures()).as("requests failed while a deploy changed the certificate").isEmpty();
                assertThat(topControllerContainer(app)).as("the same top controller container").isEqualTo(topContainer);
                System.out.println("TlsGatewayIT: certificate changed through `deploy`: " + poller.sent()
                        + " requests (new connection each) around a deploy of " + took.toMillis()
                        + " ms, 0 failed; the top controller not restarted");
            }
            assertThatThrownBy(() -> get(TestCertificates.trusting(second.certificate()), https + "/"))
                    .as("the one given through `tls` is no longer served")
                    .isInstanceOf(javax.net.ssl.SSLHandshakeException.class);
            try (var docker = org.ailtire.swarm.DockerClients.connect()) {
                docker.killContainerCmd(topContainer).exec();
            }
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                    .until(() -> !topControllerContainer(app).equals(topContainer));
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                    .untilAsserted(() -> assertThat(get(trustThird, https + "/").statusCode()).isEqualTo(200));
            assertThat(bodyFor(trustThird, port, "shop.example.test")).as("after a restart").isEqualTo("shop\n");
            assertThat(get(trustThird, https + "/").headers().firstValue("strict-transport-security"))
                    .as("HSTS after a restart").hasValue("max-age=600");

            // The definition and the certificate at once: the definition updates as before (the top controller
            // rolls for it), then the certificate is handed over to the new one, which serves it.
            Files.writeString(definition, DEFINITION.replace("echo site", "echo site-2"));
            CliRun both = deploy(home, definition, app, ports, fourth);
            assertThat(both.code()).as(both.output()).isEqualTo(Main.OK);
            SSLContext trustFourth = TestCertificates.trusting(fourth.certificate());
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                    .untilAsserted(() -> assertThat(get(trustFourth, https + "/").body()).isEqualTo("site-2\n"));
            assertThat(get(trustFourth, https + "/").headers().firstValue("strict-transport-security"))
                    .hasValue("max-age=600");
        } finally {
            CliRun shutdown = CliRun.of(home, "shutdown", "--app", app, "--yes");
            List<String> left = new ArrayList<>();
            for (String namespace : List.of(app + "-root", app)) {
                try (TestSwarm swarm = TestSwarm.of(namespace)) {
                    left.addAll(swarm.leftovers()); // closing removes whatever is left, so a failed run leaves nothing
                }
            }
            assertThat(shutdown.code()).as(shutdown.output()).isEqualTo(Main.OK);
            assertThat(left).as("labelled objects left after shutdown (the TLS secret among them)").isEmpty();
        }
    }

    private static CliRun deploy(Path home, Path definition, String app, int[] ports, TestCertificates.Pair tls) {
        return CliRun.of(home, "deploy", "-f", definition.toString(), "--app", app, "--port", Integer.toString(ports[0]),
                "--admin-port", Integer.toString(ports[1]), "--tls-cert", tls.certificate().toString(),
                "--tls-key", tls.key().toString(), "--https-redirect", "--http-port", Integer.toString(ports[2]),
                "--hsts-max-age", "600", "--timeout", "PT3M", "--image", controllerImage());
    }

    /** GETs {@code url} over a new connection every ~100 ms, from its own thread, and notes when one fails. */
    private static final class Poller implements AutoCloseable {
        private final AtomicBoolean polling = new AtomicBoolean(true);
        private final List<Instant> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        private final java.util.concurrent.atomic.AtomicInteger sent = new java.util.concurrent.atomic.AtomicInteger();
        private final Thread thread;

        Poller(SSLContext trust, String url) {
            thread = Thread.ofPlatform().daemon().start(() -> {
                while (polling.get()) {
                    sent.incrementAndGet();
                    try {
                        if (get(trust, url).statusCode() != 200) {
                            failures.add(Instant.now());
                        }
                    } catch (Exception e) {
                        failures.add(Instant.now());
                    }
                    sleep(100);
                }
            });
        }

        void stop() throws InterruptedException {
            polling.set(false);
            thread.join();
        }

        List<Instant> failures() {
            return List.copyOf(failures);
        }

        int sent() {
            return sent.get();
        }

        @Override
        public void close() {
            polling.set(false);
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The running container of the application's top controller. */
    private static String topControllerContainer(String app) {
        try (var docker = org.ailtire.swarm.DockerClients.connect()) {
            return await().atMost(Duration.ofSeconds(60)).until(() -> docker.listContainersCmd()
                    .withLabelFilter(java.util.Map.of("com.docker.swarm.service.name", app + "-root_" + app)).exec()
                    .stream().filter(c -> "running".equals(c.getState())).map(c -> c.getId()).findFirst(),
                    java.util.Optional::isPresent).orElseThrow();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static HttpResponse<String> get(SSLContext trust, String url) throws Exception {
        try (HttpClient client = HttpClient.newBuilder().sslContext(trust).version(HttpClient.Version.HTTP_2)
                .connectTimeout(Duration.ofSeconds(2)).build()) {
            return client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
        }
    }

    /** One HTTP/1.1 request over TLS with this Host header (Java's HttpClient does not let one set it). */
    private static String bodyFor(SSLContext trust, int port, String host) throws Exception {
        try (SSLSocket socket = (SSLSocket) trust.getSocketFactory().createSocket("127.0.0.1", port)) {
            socket.setSoTimeout(5000);
            socket.startHandshake();
            OutputStream out = socket.getOutputStream();
            out.write(("GET / HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(response).as(host).startsWith("HTTP/1.1 200");
            return response.substring(response.indexOf("\r\n\r\n") + 4);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String controllerImage() {
        String image = System.getenv("AILTIRE_IT_CONTROLLER_IMAGE");
        return image == null || image.isBlank() ? "ailtire/controller:local" : image;
    }

    private static int[] freePorts(int count) throws Exception {
        Set<Integer> ports = new HashSet<>();
        while (ports.size() < count) {
            try (ServerSocket socket = new ServerSocket(0)) {
                ports.add(socket.getLocalPort());
            }
        }
        return ports.stream().mapToInt(Integer::intValue).toArray();
    }
}
