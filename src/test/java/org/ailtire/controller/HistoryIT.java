package org.ailtire.controller;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Service;
import org.ailtire.stack.Json;
import org.ailtire.swarm.DockerClients;
import org.ailtire.swarm.EngineConfigs;
import org.ailtire.swarm.Labels;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The definition history on the real engine: versions kept as swarm configs with sealed variables, a preview that
 * changes nothing, rollback to an earlier version, a restarted controller that adopts what it was last sent (not
 * what it was first given), a new given definition that wins, and zero objects after shutdown.
 */
@Tag("integration")
class HistoryIT {
    private static final String DEFINITION = """
            services:
              web:
                image: ailtire/busybox:local
                command: ["sh", "-c", "echo web $$LEVEL up; while true; do sleep 1; done"]
                stop_grace_period: 1s
                environment:
                  LEVEL: "%s"
                  PASSWORD: ${PASSWORD}
            """;
    private final DockerClient docker = DockerClients.connect();
    private InProcessController controller;

    @AfterEach
    void stop() throws Exception {
        if (controller != null) {
            controller.close();
        }
        docker.close();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return controller.send(controller.authorized(path).GET().build());
    }

    private HttpResponse<String> post(String path, Object body) throws Exception {
        return controller.send(controller.authorized(path).header("Content-Type", "application/json")
                .header("X-Ailtire-Actor", "history-it")
                .POST(HttpRequest.BodyPublishers.ofString(Json.MAPPER.writeValueAsString(body))).build());
    }

    private static Map<String, Object> update(String level, String password) {
        return Map.of("definition", DEFINITION.formatted(level), "environment", Map.of("PASSWORD", password));
    }

    private void awaitSucceeded(HttpResponse<String> started) throws Exception {
        assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
        String id = Json.MAPPER.readTree(started.body()).get("id").asText();
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(300)).until(() -> {
            var view = get("/api/v1/updates/" + id);
            return view.statusCode() == 200 && !Json.MAPPER.readTree(view.body()).get("state").asText().equals("RUNNING");
        });
        JsonNode view = Json.MAPPER.readTree(get("/api/v1/updates/" + id).body());
        assertThat(view.get("state").asText()).as(view.toString()).isEqualTo("SUCCEEDED");
    }

    private Service web() {
        return docker.listServicesCmd().withNameFilter(List.of(controller.namespace() + "_web")).exec().stream()
                .filter(s -> s.getSpec().getName().equals(controller.namespace() + "_web")).findFirst().orElseThrow();
    }

    private List<String> webEnvironment() {
        return web().getSpec().getTaskTemplate().getContainerSpec().getEnv();
    }

    private List<EngineConfigs.EngineConfig> historyConfigs() {
        return EngineConfigs.withLabels(docker, List.of(Labels.NAMESPACE + "=" + controller.namespace(),
                Labels.KIND + "=" + Labels.KIND_DEFINITION));
    }

    private JsonNode history() throws Exception {
        return Json.MAPPER.readTree(get("/api/v1/history").body());
    }

    @Test
    void versionsAreKeptOnTheEngineRolledBackAndAdoptedAfterARestart(@TempDir Path temp) throws Exception {
        controller = new InProcessController(temp);
        awaitSucceeded(post("/api/v1/update", update("1", "first-secret")));
        awaitSucceeded(post("/api/v1/update", update("2", "second-secret")));

        List<EngineConfigs.EngineConfig> configs = historyConfigs();
        assertThat(configs).hasSize(2);
        for (EngineConfigs.EngineConfig config : configs) {
            assertThat(new String(config.data(), StandardCharsets.UTF_8)).startsWith("services:");
            assertThat(config.labels().toString()).as("variables are sealed")
                    .doesNotContain("first-secret").doesNotContain("second-secret");
        }
        JsonNode history = history();
        assertThat(history.get("current").asInt()).isEqualTo(2);
        assertThat(history.get("versions").get(1).get("actor").asText()).startsWith("history-it from 127.0.0.1");

        long before = web().getVersion().getIndex();
        var preview = post("/api/v1/update/preview", update("3", "third-secret"));
        assertThat(preview.statusCode()).isEqualTo(200);
        JsonNode planned = Json.MAPPER.readTree(preview.body());
        assertThat(planned.get("baseVersion").asInt()).isEqualTo(2);
        assertThat(planned.get("diff").asText()).contains("-      LEVEL: \"2\"", "+      LEVEL: \"3\"");
        assertThat(planned.get("services").get("update").toString()).contains("web");
        assertThat(web().getVersion().getIndex()).as("a preview changes nothing").isEqualTo(before);
        assertThat(historyConfigs()).hasSize(2);

        awaitSucceeded(post("/api/v1/rollback", Map.of("version", 1)));
        assertThat(webEnvironment()).contains("LEVEL=1", "PASSWORD=first-secret");
        assertThat(history().get("current").asInt()).isEqualTo(3);
        long afterRollback = web().getVersion().getIndex();

        // A restart with no new given definition adopts version 3 without touching the service.
        controller.restart(null);
        await().atMost(Duration.ofSeconds(60)).until(() -> get("/api/v1/definition").statusCode() == 200);
        JsonNode adopted = Json.MAPPER.readTree(get("/api/v1/definition").body());
        assertThat(adopted.get("version").asInt()).isEqualTo(3);
        assertThat(web().getVersion().getIndex()).as("adoption changes no service").isEqualTo(afterRollback);
        assertThat(history().get("versions")).as("adoption adds no version").hasSize(3);
        JsonNode events = Json.MAPPER.readTree(get("/api/v1/events").body()).get("events");
        assertThat(events.toString()).contains("\"action\":\"adopt\"", "\"result\":\"requested\"", "version 3");

        var shutdown = post("/api/v1/shutdown", Map.of());
        assertThat(shutdown.statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(90)).until(() -> controller.engineObjects().isEmpty());
        assertThat(historyConfigs()).isEmpty();
    }

    @Test
    void aFailedUpdateIsRolledBackKeptAsFailedAndTheStatusSaysSo(@TempDir Path temp) throws Exception {
        controller = new InProcessController(temp);
        awaitSucceeded(post("/api/v1/update", update("1", "s")));
        List<String> environmentBefore = webEnvironment();

        String failing = DEFINITION.formatted("broken").replace("while true; do sleep 1; done", "exit 3");
        var started = post("/api/v1/update", Map.of("definition", failing, "environment", Map.of("PASSWORD", "s")));
        assertThat(started.statusCode()).isEqualTo(202);
        String id = Json.MAPPER.readTree(started.body()).get("id").asText();
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(() ->
                !Json.MAPPER.readTree(get("/api/v1/updates/" + id).body()).get("state").asText().equals("RUNNING"));
        JsonNode view = Json.MAPPER.readTree(get("/api/v1/updates/" + id).body());
        assertThat(view.get("state").asText()).isEqualTo("FAILED");
        assertThat(view.get("error").asText()).contains("rolled back");

        assertThat(webEnvironment()).as("the service runs the previous definition again").isEqualTo(environmentBefore);
        JsonNode status = Json.MAPPER.readTree(get("/api/v1/status").body());
        assertThat(status.get("state").asText()).isEqualTo("RUNNING");
        assertThat(status.get("message").asText()).startsWith("last update failed: ").contains("rolled back");
        JsonNode versions = history().get("versions");
        assertThat(versions).hasSize(2);
        assertThat(versions.get(1).get("outcome").asText()).isEqualTo("FAILED");
        assertThat(versions.get(1).get("message").asText()).contains("rolled back");
        assertThat(history().get("current").asInt()).as("the applied version is still the first").isEqualTo(1);
    }

    @Test
    void anUpdateSentToTheStackSurvivesARestartUnlessTheParentGivesANewDefinition(@TempDir Path temp)
            throws Exception {
        String given = DEFINITION.formatted("given").replace("${PASSWORD}", "none");
        controller = new InProcessController(temp, given);
        await().atMost(Duration.ofSeconds(90)).until(() -> get("/api/v1/definition").statusCode() == 200);
        awaitSucceeded(post("/api/v1/update", update("sent", "s")));

        controller.restart(given);
        await().atMost(Duration.ofSeconds(60)).until(() -> get("/api/v1/definition").statusCode() == 200);
        assertThat(Json.MAPPER.readTree(get("/api/v1/definition").body()).get("definition").asText())
                .as("the update sent to this stack is not lost by a restart").contains("LEVEL: \"sent\"");
        assertThat(webEnvironment()).contains("LEVEL=sent");

        String newer = DEFINITION.formatted("newer").replace("${PASSWORD}", "none");
        controller.restart(newer);
        await().atMost(Duration.ofSeconds(90)).until(() -> get("/api/v1/definition").statusCode() == 200
                && Json.MAPPER.readTree(get("/api/v1/definition").body()).get("definition").asText().contains("newer"));
        assertThat(webEnvironment()).contains("LEVEL=newer");
        assertThat(history().get("versions")).hasSize(3);
    }
}
