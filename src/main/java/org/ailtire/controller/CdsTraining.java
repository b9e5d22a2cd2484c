package org.ailtire.controller;

import io.vertx.core.Vertx;
import org.ailtire.api.AdminServer;
import org.ailtire.gateway.GatewayServer;
import org.ailtire.stack.ChildRegistry;
import org.ailtire.stack.ImageResolution;
import org.ailtire.stack.UpdateRequest;
import org.ailtire.swarm.DockerClients;
import org.ailtire.swarm.observe.TaskResync;
import org.ailtire.swarm.topology.ControllerSettings;
import org.ailtire.swarm.topology.StackPlace;

import java.net.URI;
import java.time.Clock;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Walks a controller's start-up path without an engine, so the image's class-data archive (trained with this run)
 * holds the classes {@code serve} loads: Vert.x and Netty, the control plane and gateway, docker-java's client,
 * Jackson, the definition loader, topology and converter. Nothing leaves the process but loopback requests to itself.
 */
public final class CdsTraining {
    private static final String TOKEN = "cds-training-token-not-a-secret";
    private static final String DEFINITION = """
            services:
              web:
                image: ailtire/busybox:local
                command: ["sh", "-c", "exec httpd -f -p 8000"]
                x-ailtire:
                  routes:
                    - {path: /, port: 8000}
              backend:
                x-ailtire:
                  stack: |
                    services:
                      api:
                        image: ailtire/busybox:local
                        environment:
                          GREETING: ${GREETING:-hello}
                environment:
                  GREETING: hello
            """;

    private CdsTraining() {
    }

    public static void run() throws Exception {
        Vertx vertx = Vertx.vertx();
        ExecutorService background = Executors.newVirtualThreadPerTaskExecutor();
        ChildRegistry registry = new ChildRegistry(Clock.systemUTC(), Controller.HEARTBEAT, 3);
        StackPlace place = StackPlace.root("training").child("training");
        ControllerSettings settings = new ControllerSettings(ControllerSettings.DEFAULT_IMAGE,
                ControllerSettings.DEFAULT_ADMIN_PORT, ControllerSettings.DEFAULT_GATEWAY_PORT, "training-root_token",
                "dnsrr", "/var/run/docker.sock", ImageResolution.ALWAYS);
        try (var docker = DockerClients.connect(URI.create("unix:///nonexistent/docker.sock"))) {
            ControllerConfig config = new ControllerConfig(place, 0, 0, Optional.empty(), 0, TOKEN, settings,
                    Optional.empty(), Optional.empty(), ControllerConfig.DEFAULT_HISTORY_KEEP, TaskResync.DEFAULT,
                    Optional.empty());
            ControllerParts parts = ControllerParts.wire(config, Map.of("AILTIRE_ENDPOINT_MODE", "dnsrr"), vertx, docker,
                    registry, background, "", "127.0.0.1");
            parts.stack().plan(new UpdateRequest(List.of(), Map.of(), DEFINITION));
            AdminServer admin = parts.admin();
            GatewayServer gateway = parts.gatewayServer();
            int adminPort = admin.start().get();
            int gatewayPort = gateway.start(1).get();
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            for (String path : List.of("/api/v1/health", "/api/v1/status", "/api/v1/openapi.json", "/api/v1/routes",
                    "/_ailtire/")) {
                http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + path))
                        .header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofString());
            }
            http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gatewayPort + "/no-route")).build(),
                    HttpResponse.BodyHandlers.ofString());
            admin.close();
            gateway.close();
        } finally {
            registry.close();
            vertx.close().toCompletionStage().toCompletableFuture().get();
            background.shutdownNow();
        }
    }
}
