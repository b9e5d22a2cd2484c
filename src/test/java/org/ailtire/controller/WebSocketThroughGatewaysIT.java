package org.ailtire.controller;

import com.github.dockerjava.api.DockerClient;
import org.ailtire.gateway.WebSocketEchoImage;
import org.ailtire.swarm.DockerClients;
import org.ailtire.swarm.Labels;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A WebSocket through the real engine: the demo (shop, backend, db) with a WebSocket echo service added to the
 * bottom stack, routed there as {@code protocol: ws}. A client connects at the top controller,
 * {@code ws://127.0.0.1:<port>/backend/db/echo}, and its message comes back through all three gateways (top, backend
 * and db controllers) in containers on their overlay networks.
 */
@Tag("integration")
class WebSocketThroughGatewaysIT {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void aMessageGoesToAServiceTwoStacksDownAndItsEchoComesBack(@TempDir Path temp) throws Exception {
        DeployedDemo demo = null;
        try (DockerClient docker = DockerClients.connect();
             WebSocketEchoImage echo = WebSocketEchoImage.build(docker, DeployedDemo.CONTROLLER_IMAGE,
                     Map.of(Labels.NAMESPACE, "it-gw-ws-image"), temp)) {
            // The echo service goes first under services: (db.yml goes on with volumes and secrets).
            demo = DeployedDemo.deploy("it-gw-ws", temp, "[ws]", definitions -> {
                Path db = definitions.resolve("db.yml");
                String echoService = """
                          echo:
                            image: %s
                            stop_grace_period: 1s
                            x-ailtire:
                              routes:
                                - {path: /echo, port: 8000, protocol: ws}
                        """.formatted(echo.tag());
                String definition = Files.readString(db);
                if (!definition.contains("\nservices:\n")) {
                    throw new IllegalStateException("db.yml has no top-level services: line");
                }
                Files.writeString(db, definition.replaceFirst("\nservices:\n",
                        java.util.regex.Matcher.quoteReplacement("\nservices:\n" + echoService)));
            }).requireDeployed();
            URI top = URI.create("ws://127.0.0.1:" + demo.port + "/backend/db/echo");

            // The route is there once the db controller has applied its definition and registered with backend.
            String reply = await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(2))
                    .ignoreExceptions().until(() -> roundTrip(top, "hello through three gateways"), r -> r != null);
            assertThat(reply).isEqualTo("echo /echo: hello through three gateways");

            DeployedDemo.Run shutdown = demo.cli("shutdown", "--app", demo.app, "--yes");
            assertThat(shutdown.code()).as(shutdown.output()).isZero();
            assertThat(demo.objectsLeft()).as("labelled objects left after shutdown: the database's volume only")
                    .containsExactly("volume " + demo.dataVolume());
        } finally {
            if (demo != null) {
                demo.close(); // shuts down and removes what is left when the test failed before its shutdown
            }
        }
    }

    /** Connects, sends one text message and returns the first text message that comes back. */
    private String roundTrip(URI uri, String message) throws Exception {
        CompletableFuture<String> reply = new CompletableFuture<>();
        WebSocket socket = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
                .buildAsync(uri, new WebSocket.Listener() {
                    private final StringBuilder text = new StringBuilder();

                    @Override
                    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                        text.append(data);
                        if (last) {
                            reply.complete(text.toString());
                        }
                        webSocket.request(1);
                        return null;
                    }

                    @Override
                    public void onError(WebSocket webSocket, Throwable error) {
                        reply.completeExceptionally(error);
                    }
                }).get(10, TimeUnit.SECONDS);
        try {
            socket.sendText(message, true).get(10, TimeUnit.SECONDS);
            return reply.get(10, TimeUnit.SECONDS);
        } finally {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").exceptionally(failure -> null);
        }
    }
}
