package org.ailtire.gateway;

import org.ailtire.cli.Main;
import org.ailtire.swarm.testsupport.TestSwarm;
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
 * https. A deploy again with another certificate rolls the top controller (the secret is new): the new certificate
 * is served afterwards, and how long the gateway did not answer meanwhile is printed.
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
            }

            // Another certificate: a new secret, so the top controller is rolled.
            SSLContext trustBoth = trustingBoth(first, second, temp);
            AtomicBoolean polling = new AtomicBoolean(true);
            List<Instant> failures = java.util.Collections.synchronizedList(new ArrayList<>());
            Thread poller = Thread.ofPlatform().daemon().start(() -> {
                while (polling.get()) {
                    try {
                        if (get(trustBoth, https + "/").statusCode() != 200) {
                            failures.add(Instant.now());
                        }
                    } catch (Exception e) {
                        failures.add(Instant.now());
                    }
                    sleep(100);
                }
            });
            Instant redeployed = Instant.now();
            CliRun again = deploy(home, definition, app, ports, second);
            assertThat(again.code()).as(again.output()).isEqualTo(Main.OK);
            SSLContext trustSecond = TestCertificates.trusting(second.certificate());
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                    assertThat(get(trustSecond, https + "/").statusCode()).isEqualTo(200));
            polling.set(false);
            poller.join();
            assertThatThrownBy(() -> get(trustFirst, https + "/")).as("the old certificate is no longer served")
                    .isInstanceOf(javax.net.ssl.SSLHandshakeException.class);
            System.out.println("TlsGatewayIT: a new certificate rolled the top controller: " + failures.size()
                    + " failed requests (one every ~100 ms), from "
                    + (failures.isEmpty() ? "-" : Duration.between(redeployed, failures.getFirst()).toMillis() + " ms")
                    + " to " + (failures.isEmpty() ? "-" : Duration.between(redeployed, failures.getLast()).toMillis()
                    + " ms") + " after the deploy began");
            assertThat(bodyFor(trustSecond, port, "shop.example.test")).isEqualTo("shop\n");
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
                "--timeout", "PT3M", "--image", controllerImage());
    }

    private static SSLContext trustingBoth(TestCertificates.Pair first, TestCertificates.Pair second, Path temp)
            throws Exception {
        Path both = temp.resolve("both.pem");
        Files.writeString(both, Files.readString(first.certificate()) + Files.readString(second.certificate()));
        java.security.KeyStore trust = java.security.KeyStore.getInstance(java.security.KeyStore.getDefaultType());
        trust.load(null, null);
        int i = 0;
        try (var in = Files.newInputStream(both)) {
            for (var certificate : java.security.cert.CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                trust.setCertificateEntry("c" + i++, certificate);
            }
        }
        var factory = javax.net.ssl.TrustManagerFactory.getInstance(javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
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
