package org.ailtire.controller;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.model.Container;
import org.ailtire.stack.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The demo's data survives what happens to the application: orders are written through the top's URL (two gateways
 * down to the store, which keeps them in PostgreSQL on a named volume), and every order written before is read back,
 * in order and once, after (1) an update, (2) an update that fails and is rolled back, (3) the db stack's controller
 * killed and restarted by swarm, and (4) a shutdown, which keeps the volume, and a deploy again. At the end the
 * volume is removed deliberately, as README says, and nothing is left. Lines starting with {@code [data]} are the
 * figures.
 */
@Tag("integration")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DemoDataIT {
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    /** Every order written so far, in the order written. */
    private final List<String> written = new ArrayList<>();
    private DeployedDemo demo;

    @BeforeAll
    void deploy(@TempDir Path temp) throws Exception {
        demo = DeployedDemo.deploy("it-data", temp, "[data]");
        demo.requireDeployed();
        System.out.println("[data] deploy of the demo took " + demo.deployTook.toMillis() + " ms");
    }

    @AfterAll
    void removeEverything() {
        if (demo != null) {
            demo.close(); // removes the volume too when a test failed before it did
        }
    }

    @Test
    @Order(1)
    void ordersWrittenThroughTheTopAreReadBack() throws Exception {
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> get("/backend/db/").statusCode() == 200);
        write("tea, before everything");
        write("coffee, before everything");
        assertEverythingWrittenIsThere();
        assertThat(get("/backend/db/").body()).isEqualTo("store: 2 orders\n");
    }

    @Test
    @Order(2)
    void anUpdateKeepsThem() throws Exception {
        DeployedDemo.Run update = timed("an update (GREETING)", () -> demo.cli("update", "--app", demo.app,
                "-f", stack().toString(), "-e", "GREETING=bonjour"));
        assertThat(update.code()).as(update.output()).isZero();
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
                .untilAsserted(() -> assertThat(get("/backend/orders/").body()).isEqualTo("api: bonjour\n"));
        assertEverythingWrittenIsThere();
        write("after the update");
    }

    @Test
    @Order(3)
    void anUpdateThatFailsAndIsRolledBackKeepsThem() throws Exception {
        // web's new tasks exit at once: the update fails, and the stack goes back to the definition it had.
        String text = Files.readString(stack());
        String image = "    image: ailtire/demo-web:local\n";
        assertThat(text).contains(image);
        Files.writeString(stack(), text.replace(image, image
                + "    command: [\"sh\", \"-c\", \"echo broken on purpose >&2; exit 3\"]\n"));
        try {
            DeployedDemo.Run update = timed("an update that failed and rolled back", () -> demo.cli("update",
                    "--app", demo.app, "-f", stack().toString(), "-e", "GREETING=bonjour"));
            assertThat(update.code()).as(update.output()).isNotZero();
            assertThat(update.output()).contains("rolled back");
        } finally {
            Files.writeString(stack(), text);
        }
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> DeployedDemo.whole(demo.client.status()));
        assertThat(get("/").body()).contains("<title>shop front</title>");
        assertEverythingWrittenIsThere();
        write("after the rollback");
    }

    @Test
    @Order(4)
    void aRestartedControllerKeepsThem() throws Exception {
        // The controller of the stack that holds the database: killed, swarm starts it again, it adopts its stack.
        String service = demo.app + "-backend_db";
        Map<String, String> tasks = demo.tasks(demo.app + "-backend-db");
        Container controller = demo.runningContainer(service);
        Instant killed = Instant.now();
        demo.docker.killContainerCmd(controller.getId()).exec();
        await().atMost(Duration.ofSeconds(60)).until(() -> !demo.runningContainer(service).getId().equals(controller.getId()));
        await().atMost(Duration.ofSeconds(90)).ignoreExceptions().until(() -> DeployedDemo.whole(demo.client.status()));
        System.out.println("[data] the db stack's controller killed: the tree was whole again after "
                + Duration.between(killed, Instant.now()).toMillis() + " ms");
        assertThat(demo.tasks(demo.app + "-backend-db")).as("the store and the database kept running").isEqualTo(tasks);
        assertEverythingWrittenIsThere();
        write("after the controller restart");
    }

    @Test
    @Order(5)
    void shutdownKeepsTheVolumeAndTheNextDeployFindsThem() throws Exception {
        DeployedDemo.Run shutdown = timed("shutdown", () -> demo.cli("shutdown", "--app", demo.app, "--yes"));
        assertThat(shutdown.code()).as(shutdown.output()).isZero();
        assertThat(demo.objectsLeft()).as("shutdown keeps named volumes, as docker stack rm does")
                .containsExactly("volume " + demo.dataVolume());

        demo = demo.deployAgain().requireDeployed();
        System.out.println("[data] deploy again, onto the kept volume, took " + demo.deployTook.toMillis() + " ms");
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> get("/backend/db/").statusCode() == 200);
        assertEverythingWrittenIsThere();
        write("after the deploy again");
        assertEverythingWrittenIsThere();
    }

    @Test
    @Order(6)
    void theVolumeGoesOnlyWhenRemovedDeliberately() throws Exception {
        DeployedDemo.Run shutdown = demo.cli("shutdown", "--app", demo.app, "--yes");
        assertThat(shutdown.code()).as(shutdown.output()).isZero();
        assertThat(demo.objectsLeft()).containsExactly("volume " + demo.dataVolume());
        // README's way: docker volume rm <app>-backend-db_pgdata
        Process rm = new ProcessBuilder("docker", "volume", "rm", demo.dataVolume()).redirectErrorStream(true).start();
        String output = new String(rm.getInputStream().readAllBytes());
        assertThat(rm.waitFor()).as(output).isZero();
        assertThat(demo.objectsLeft()).isEmpty();
    }

    private Path stack() {
        return demo.definitions.resolve("stack.yml");
    }

    private void write(String item) throws Exception {
        String body = Json.MAPPER.writeValueAsString(Map.of("item", item));
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(demo.url.resolve("/backend/db/orders"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        assertThat(Json.MAPPER.readTree(response.body()).get("item").asText()).isEqualTo(item);
        written.add(item);
    }

    /** Every order written so far, in order and once each, read through the top (waiting for the route a moment). */
    private void assertEverythingWrittenIsThere() {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions().untilAsserted(() -> {
            HttpResponse<String> response = get("/backend/db/orders");
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            JsonNode orders = Json.MAPPER.readTree(response.body());
            assertThat(StreamSupport.stream(orders.spliterator(), false).map(o -> o.get("item").asText()).toList())
                    .containsExactlyElementsOf(written);
        });
        System.out.println("[data] " + written.size() + " orders read back through the top");
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(demo.url.resolve(path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static DeployedDemo.Run timed(String what, java.util.function.Supplier<DeployedDemo.Run> action) {
        Instant started = Instant.now();
        DeployedDemo.Run run = action.get();
        System.out.println("[data] " + what + " took " + Duration.between(started, Instant.now()).toMillis() + " ms");
        return run;
    }
}
