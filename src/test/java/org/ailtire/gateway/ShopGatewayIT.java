package org.ailtire.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import org.ailtire.cli.Main;
import org.ailtire.stack.Json;
import org.ailtire.swarm.testsupport.DemoFiles;
import org.ailtire.swarm.testsupport.TestSwarm;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The 3-level demo deployed through the CLI on the real engine: one URL at the top reaches the bottom stack's
 * service through two gateways (top and backend controllers), which writes to and reads from its PostgreSQL; an
 * unknown route is a JSON 404 naming it; the console and the control plane answer on the admin port only, never
 * through a gateway.
 */
@Tag("integration")
class ShopGatewayIT {
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void oneUrlAtTheTopReachesAServiceTwoStacksDown(@TempDir Path temp) throws Exception {
        String app = "it-gw-" + UUID.randomUUID().toString().substring(0, 6);
        int port = freePort();
        int adminPort = freePort();
        while (adminPort == port) {
            adminPort = freePort();
        }
        String base = "http://127.0.0.1:" + port;
        String admin = "http://127.0.0.1:" + adminPort;
        Path home = temp.resolve("home");
        Path definition = DemoFiles.copyTo(temp.resolve("shop"));
        try {
            CliRun deploy = CliRun.of(home, "deploy", "-f", definition.toString(), "--app", app, "--port",
                    Integer.toString(port), "--admin-port", Integer.toString(adminPort), "--timeout", "PT4M",
                    "--image", controllerImage());
            assertThat(deploy.code()).as(deploy.output()).isEqualTo(Main.OK);
            assertThat(deploy.output()).contains("is up: " + base + "/", "console: " + admin + "/_ailtire/");

            // Routes appear once each controller has applied its definition and its child registered.
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                var store = get(base + "/backend/db/");
                assertThat(store.statusCode()).as(store.body()).isEqualTo(200);
                assertThat(store.body()).isEqualTo("store: 0 orders\n");
            });
            assertThat(get(base + "/").body()).contains("<title>shop front</title>");
            assertThat(get(base + "/backend/orders/").body()).isEqualTo("api: hello from the backend\n");
            // Written and read back through the top: two gateways down, the store keeps it in PostgreSQL.
            var posted = http.send(HttpRequest.newBuilder(URI.create(base + "/backend/db/orders"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"item\": \"tea\"}"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(posted.statusCode()).as(posted.body()).isEqualTo(201);
            JsonNode orders = Json.MAPPER.readTree(get(base + "/backend/db/orders").body());
            assertThat(orders).extracting(o -> o.get("item").asText()).containsExactly("tea");
            assertThat(get(base + "/backend/db/").body()).isEqualTo("store: 1 orders\n");

            var unknown = get(base + "/backend/nothing-here");
            assertThat(unknown.statusCode()).isEqualTo(404);
            JsonNode error = Json.MAPPER.readTree(unknown.body());
            assertThat(error.get("error").asText()).isEqualTo("no route for /nothing-here");

            // The console and the control plane are the admin port's, at every level; the CLI finds it alone.
            for (String path : List.of("/_ailtire/", "/api/v1/health", "/api/v1/openapi.json")) {
                for (String level : List.of("", "/backend", "/backend/db")) {
                    assertThat(get(base + level + path).statusCode()).as("gateway " + level + path).isEqualTo(404);
                }
                assertThat(get(admin + path).statusCode()).as("admin port " + path).isEqualTo(200);
            }
            CliRun status = CliRun.of(home, "status", "--app", app);
            assertThat(status.code()).as(status.output()).isEqualTo(Main.OK);
            assertThat(status.output()).contains("store");
        } finally {
            CliRun shutdown = CliRun.of(home, "shutdown", "--app", app, "--yes");
            List<String> left = new ArrayList<>();
            for (String namespace : List.of(app + "-root", app, app + "-backend", app + "-backend-db")) {
                try (TestSwarm swarm = TestSwarm.of(namespace)) {
                    left.addAll(swarm.leftovers());
                    // closing removes whatever is left (the kept volume too), so a failed run leaves nothing either
                }
            }
            assertThat(shutdown.code()).as(shutdown.output()).isEqualTo(Main.OK);
            assertThat(left).as("labelled objects left after shutdown: the database's volume only")
                    .containsExactly("volume " + DemoFiles.dataVolume(app));
        }
    }

    /**
     * The controller image with this branch's gateway: ailtire/controller:local (images/build-controller.sh), or the
     * image named by AILTIRE_IT_CONTROLLER_IMAGE when several checkouts share the engine and rebuild that tag.
     */
    private static String controllerImage() {
        String image = System.getenv("AILTIRE_IT_CONTROLLER_IMAGE");
        return image == null || image.isBlank() ? "ailtire/controller:local" : image;
    }

    private HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
