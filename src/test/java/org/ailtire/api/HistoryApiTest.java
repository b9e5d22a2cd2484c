package org.ailtire.api;

import com.fasterxml.jackson.databind.JsonNode;
import org.ailtire.stack.Json;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The history, diff, preview, rollback and events routes over HTTP, on an in-memory stack. */
class HistoryApiTest extends ControlPlaneTestBase {
    HistoryApiTest() {
        super(8192);
    }

    private HttpResponse<String> post(String path, String json, String actor) throws Exception {
        var builder = req(path).header("Content-Type", "application/json");
        if (actor != null) {
            builder.header("X-Ailtire-Actor", actor);
        }
        return http.send(builder.POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private void updateAndWait(String definition, String actor) throws Exception {
        var started = post("/api/v1/update", Json.MAPPER.writeValueAsString(java.util.Map.of(
                "definition", definition, "environment", java.util.Map.of("PASSWORD", "hunter2"))), actor);
        assertThat(started.statusCode()).isEqualTo(202);
        String id = json(started).get("id").asText();
        await().atMost(Duration.ofSeconds(10)).until(() -> !json(get("/api/v1/updates/" + id)).get("state").asText()
                .equals("RUNNING"));
    }

    @Test
    void versionsAreListedShownAndDiffedWithoutTheirVariables() throws Exception {
        updateAndWait("service: web\n", "alice@laptop");
        updateAndWait("service: web\nservice: api\n", "bob@ci");

        JsonNode history = json(get("/api/v1/history"));
        assertThat(history.get("current").asInt()).isEqualTo(2);
        assertThat(history.get("versions")).hasSize(2);
        assertThat(history.get("versions").get(0).get("actor").asText()).isEqualTo("alice@laptop from 127.0.0.1");
        assertThat(history.get("versions").get(1).get("outcome").asText()).isEqualTo("APPLIED");
        assertThat(history.toString()).doesNotContain("hunter2");

        var one = get("/api/v1/history/1");
        assertThat(one.statusCode()).isEqualTo(200);
        assertThat(json(one).get("definition").asText()).isEqualTo("service: web\n");
        assertThat(one.body()).doesNotContain("hunter2").doesNotContain("PASSWORD");

        JsonNode diff = json(get("/api/v1/history/1/diff"));
        assertThat(diff.get("from").asInt()).isEqualTo(2);
        assertThat(diff.get("diff").asText()).contains("--- version 2", "+++ version 1", "-service: api");
        assertThat(json(get("/api/v1/history/2/diff?against=1")).get("diff").asText()).contains("+service: api");

        assertThat(get("/api/v1/history/9").statusCode()).isEqualTo(404);
        assertThat(get("/api/v1/history/9/diff").statusCode()).isEqualTo(404);
        assertThat(get("/api/v1/history/x").statusCode()).isEqualTo(400);
        assertThat(get("/api/v1/history/0").statusCode()).isEqualTo(400);
        assertThat(get("/api/v1/history/1/diff?against=-1").statusCode()).isEqualTo(400);
    }

    @Test
    void previewShowsTheDiffAndServiceChangesAndAppliesNothing() throws Exception {
        updateAndWait("service: web\n", null);
        var preview = post("/api/v1/update/preview", "{\"definition\":\"service: web\\nservice: api\\n\"}", null);
        assertThat(preview.statusCode()).isEqualTo(200);
        JsonNode body = json(preview);
        assertThat(body.get("baseVersion").asInt()).isEqualTo(1);
        assertThat(body.get("diff").asText()).contains("+service: api");
        assertThat(body.get("services").get("create").get(0).asText()).isEqualTo("api");
        assertThat(json(get("/api/v1/history")).get("versions")).hasSize(1);

        var invalid = post("/api/v1/update/preview", "{\"definition\":\"invalid\"}", null);
        assertThat(invalid.statusCode()).isEqualTo(400);
        assertThat(invalid.body()).contains("services.web.deploy.replicas");
        assertThat(post("/api/v1/update/preview", "{}", null).statusCode()).isEqualTo(400);
    }

    @Test
    void rollbackStartsAnUpdateOfTheStoredVersion() throws Exception {
        updateAndWait("service: web\n", null);
        updateAndWait("service: web\nservice: api\n", null);

        var rollback = post("/api/v1/rollback", "{\"version\":1}", "carol");
        assertThat(rollback.statusCode()).isEqualTo(202);
        String id = json(rollback).get("id").asText();
        await().atMost(Duration.ofSeconds(10)).until(() -> json(get("/api/v1/updates/" + id)).get("state").asText()
                .equals("SUCCEEDED"));
        assertThat(json(get("/api/v1/definition")).get("definition").asText()).isEqualTo("service: web\n");
        assertThat(json(get("/api/v1/history")).get("current").asInt()).isEqualTo(3);

        for (String bad : List.of("{}", "{\"version\":\"1\"}", "{\"version\":0}", "{\"version\":1.5}", "[]", "nope")) {
            var refused = post("/api/v1/rollback", bad, null);
            assertThat(refused.statusCode()).as(bad).isEqualTo(400);
            assertThat(refused.body()).contains("version: expected a version number");
        }
        var missing = post("/api/v1/rollback", "{\"version\":42}", null);
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).contains("no definition version 42");
    }

    private void waitFor(HttpResponse<String> started) throws Exception {
        assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
        String id = json(started).get("id").asText();
        await().atMost(Duration.ofSeconds(10)).until(() -> json(get("/api/v1/updates/" + id)).get("state").asText()
                .equals("SUCCEEDED"));
    }

    @Test
    void scaleAndRedeployAreUpdatesKeptInTheHistoryAndBadRequestsAreRefused() throws Exception {
        var early = post("/api/v1/services/web/scale", "{\"replicas\":2}", null);
        assertThat(early.statusCode()).isEqualTo(409);
        assertThat(early.body()).contains("no definition applied yet");
        updateAndWait("service: web\n", null);

        waitFor(post("/api/v1/services/web/scale", "{\"replicas\":3}", "dave"));
        waitFor(post("/api/v1/services/web/redeploy", "", "erin"));
        waitFor(post("/api/v1/redeploy", "{\"services\":[\"web\"]}", "erin"));

        JsonNode versions = json(get("/api/v1/history")).get("versions");
        assertThat(versions).hasSize(4);
        assertThat(versions.get(1).get("actor").asText()).isEqualTo("dave from 127.0.0.1 (scale web to 3)");
        assertThat(versions.get(2).get("actor").asText()).isEqualTo("erin from 127.0.0.1 (redeploy web)");
        assertThat(json(get("/api/v1/definition")).get("definition").asText()).isEqualTo("service: web\n");

        for (String bad : List.of("{}", "{\"replicas\":-1}", "{\"replicas\":1001}", "{\"replicas\":\"3\"}",
                "{\"replicas\":2.5}", "[]", "nope")) {
            var refused = post("/api/v1/services/web/scale", bad, null);
            assertThat(refused.statusCode()).as(bad).isEqualTo(400);
            assertThat(refused.body()).contains("replicas: expected an integer from 0 to 1000");
        }
        for (String bad : List.of("{\"services\":\"web\"}", "{\"services\":[1]}", "nope")) {
            var refused = post("/api/v1/redeploy", bad, null);
            assertThat(refused.statusCode()).as(bad).isEqualTo(400);
            assertThat(refused.body()).contains("invalid redeploy request");
        }
        assertThat(json(get("/api/v1/history")).get("versions")).as("nothing refused was applied").hasSize(4);
    }

    @Test
    void eventsListWhoDidWhatAndCanBeReadFromASequence() throws Exception {
        updateAndWait("service: web\n", "alice" + "x".repeat(100));
        JsonNode events = json(get("/api/v1/events")).get("events");
        assertThat(events).hasSizeGreaterThanOrEqualTo(2);
        JsonNode started = events.get(0);
        assertThat(started.get("action").asText()).isEqualTo("update");
        assertThat(started.get("result").asText()).isEqualTo("started");
        assertThat(started.get("actor").asText()).as("the name is cut")
                .isEqualTo("alice" + "x".repeat(Actor.MAX_LENGTH - "alice".length()) + " from 127.0.0.1");
        long first = started.get("sequence").asLong();
        assertThat(json(get("/api/v1/events?since=" + first)).get("events").get(0).get("sequence").asLong())
                .isGreaterThan(first);
        assertThat(get("/api/v1/events?since=x").statusCode()).isEqualTo(400);
    }

    @Test
    void actorNamesLoseControlAndFormatCharacters() {
        assertThat(Actor.clean(" alice\u001b[31m\r\nforged\u200e\u0000 ")).isEqualTo("alice[31mforged");
        assertThat(Actor.clean(null)).isEmpty();
    }

    @Test
    void everyHistoryRouteNeedsTheToken() throws Exception {
        for (String path : List.of("/api/v1/history", "/api/v1/history/1", "/api/v1/history/1/diff", "/api/v1/events")) {
            var none = http.send(HttpRequest.newBuilder(URI.create(base + path)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(none.statusCode()).as(path).isEqualTo(401);
        }
        for (String path : List.of("/api/v1/rollback", "/api/v1/update/preview")) {
            var none = http.send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"version\":1}")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(none.statusCode()).as(path).isEqualTo(401);
        }
    }
}
