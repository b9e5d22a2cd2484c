package org.ailtire.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import org.ailtire.cli.Main;
import org.ailtire.stack.Json;
import org.ailtire.swarm.testsupport.TestSwarm;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The firewall keys of {@code x-ailtire.routes} through the real controller image on the engine: a stack deployed
 * through the CLI, its routes reached on 127.0.0.1 through the top gateway, answered 429, 403, 401 and 413 as
 * declared, with the gateway's JSON errors.
 */
@Tag("integration")
class FirewallIT {
    /** "wonderland" as SHA-512 crypt (bob's: yescrypt, carol's: bcrypt); each $ doubled for Compose interpolation. */
    private static final String ALICE = "$$6$$bYt6m/I.ccbDGNuL$$ZwzeklhTuWIsDrprCc/gmhENF5fQ3gHLgPlSlwVflfFw8d/sPyE6DjvaHxLHV6MYnkUo3m7e4OvPf9UoGnqUT0";
    private static final String STACK = """
            services:
              web:
                image: %s
                command: ["sh", "-c", "mkdir -p /www && echo hello > /www/index.html && httpd -f -p 8000 -h /www"]
                stop_grace_period: 1s
                x-ailtire:
                  routes:
                    - {path: /limited, port: 8000, rewrite: /, rate_limit: {requests: 3, per: 1m}}
                    - {path: /closed, port: 8000, rewrite: /, allow: [10.1.2.3, "fd00::/8"]}
                    - path: /open
                      port: 8000
                      rewrite: /
                      # the engine's bridges and loopback: where requests from 127.0.0.1 arrive from
                      allow: [10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, 127.0.0.0/8]
                    - path: /secret
                      port: 8000
                      rewrite: /
                      auth:
                        users:
                          alice: "%s"
                          bob: "$$y$$j9T$$abcdefghijklmnop$$TEjqn/axP6s2k870Y8qmsWKT4abEwlBzgTkuGZBqaR6"
                          carol: "$$2y$$05$$abcdefghijklmnopqrstuuA0vov2GDneHB3.8.cv9UF9g.RdvScIW"
                    - {path: /upload, port: 8000, rewrite: /, max_body: 1k, timeout: 10s, retries: 1}
            """;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void declaredFirewallKeysAnswerAtTheTopGateway(@TempDir Path temp) throws Exception {
        String app = "it-fw-" + UUID.randomUUID().toString().substring(0, 6);
        int port = freePort();
        int adminPort = freePort();
        while (adminPort == port) {
            adminPort = freePort();
        }
        String base = "http://127.0.0.1:" + port;
        Path home = temp.resolve("home");
        Path definition = Files.writeString(temp.resolve("stack.yml"), STACK.formatted(TestSwarm.BUSYBOX, ALICE));
        try {
            CliRun deploy = CliRun.of(home, "deploy", "-f", definition.toString(), "--app", app, "--port",
                    Integer.toString(port), "--admin-port", Integer.toString(adminPort), "--timeout", "PT4M",
                    "--image", controllerImage());
            assertThat(deploy.code()).as(deploy.output()).isEqualTo(Main.OK);
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                var open = get(base + "/open/", Map.of());
                assertThat(open.statusCode()).as(open.body()).isEqualTo(200);
                assertThat(open.body()).isEqualTo("hello\n");
            });

            for (int i = 0; i < 3; i++) {
                assertThat(get(base + "/limited/", Map.of()).statusCode()).as("request " + (i + 1)).isEqualTo(200);
            }
            var limited = get(base + "/limited/", Map.of());
            assertThat(limited.statusCode()).isEqualTo(429);
            assertThat(limited.headers().firstValue("Retry-After")).contains("60");
            assertThat(json(limited.body()).get("error").asText())
                    .isEqualTo("route web (/limited): more than 3 requests in 60000 ms from your address");

            var closed = get(base + "/closed/", Map.of());
            assertThat(closed.statusCode()).isEqualTo(403);
            assertThat(json(closed.body()).get("route").asText()).isEqualTo("web-1");
            assertThat(json(closed.body()).get("error").asText())
                    .isEqualTo("route web-1 (/closed): your address is not allowed");

            var anonymous = get(base + "/secret/", Map.of());
            assertThat(anonymous.statusCode()).isEqualTo(401);
            assertThat(anonymous.headers().firstValue("WWW-Authenticate")).contains("Basic realm=\"web-3\"");
            assertThat(json(anonymous.body()).get("path").asText()).isEqualTo("/secret");
            assertThat(get(base + "/secret/", Map.of("Authorization", basic("alice", "alice"))).statusCode())
                    .isEqualTo(401);
            var alice = get(base + "/secret/", Map.of("Authorization", basic("alice", "wonderland")));
            assertThat(alice.statusCode()).isEqualTo(200);
            assertThat(alice.body()).isEqualTo("hello\n");
            for (String user : List.of("bob", "carol")) {
                assertThat(get(base + "/secret/", Map.of("Authorization", basic(user, "wonderland"))).statusCode())
                        .as(user + ": the image's libcrypt checks the scheme").isEqualTo(200);
            }

            String tooBig = raw(port, "POST /upload/ HTTP/1.1\r\nHost: a\r\nConnection: close\r\nContent-Length: 1025\r\n\r\n");
            assertThat(tooBig).startsWith("HTTP/1.1 413");
            assertThat(json(tooBig.substring(tooBig.indexOf("\r\n\r\n") + 4)).get("error").asText())
                    .isEqualTo("route web-4 (/upload): the request body is larger than 1024 bytes");
            assertThat(get(base + "/upload/", Map.of()).statusCode()).isEqualTo(200);
        } finally {
            CliRun shutdown = CliRun.of(home, "shutdown", "--app", app, "--yes");
            List<String> left = new ArrayList<>();
            for (String namespace : List.of(app + "-root", app)) {
                try (TestSwarm swarm = TestSwarm.of(namespace)) {
                    left.addAll(swarm.leftovers());
                }
            }
            assertThat(shutdown.code()).as(shutdown.output()).isEqualTo(Main.OK);
            assertThat(left).as("labelled objects left after shutdown").isEmpty();
        }
    }

    /** The controller image under test: AILTIRE_IT_CONTROLLER_IMAGE, else ailtire/controller:local. */
    private static String controllerImage() {
        String image = System.getenv("AILTIRE_IT_CONTROLLER_IMAGE");
        return image == null || image.isBlank() ? "ailtire/controller:local" : image;
    }

    private HttpResponse<String> get(String url, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String raw(int port, String request) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    private static JsonNode json(String body) throws Exception {
        return Json.MAPPER.readTree(body);
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
