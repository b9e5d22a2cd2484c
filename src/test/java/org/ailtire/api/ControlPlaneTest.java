package org.ailtire.api;

import com.fasterxml.jackson.databind.JsonNode;
import org.ailtire.stack.FakeStack;
import org.ailtire.stack.Json;
import org.ailtire.stack.LogLine;
import org.ailtire.stack.StackToken;
import org.ailtire.stack.Registration;
import org.ailtire.stack.Status;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class ControlPlaneTest extends ControlPlaneTestBase {
    ControlPlaneTest() {
        super(4096);
    }

    @Override
    protected void prepare(FakeStack stack) {
        stack.logLines.add(new LogLine("web", LogLine.Stream.STDOUT, Instant.parse("2026-01-01T00:00:00Z"), "hello"));
        stack.logLines.add(new LogLine("web", LogLine.Stream.STDERR, null, "oops"));
        stack.childStacks.put("child", "http://child:8080");
        stack.childStacks.put("shop", "http://shop:3000");
        stack.childStacks.put("legacy", "http://legacy:3000");
    }

    @Test
    void healthAndOpenApiNeedNoToken() throws Exception {
        var health = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        var openapi = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/openapi.json")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(openapi.statusCode()).isEqualTo(200);
        assertThat(json(openapi).get("openapi").asText()).startsWith("3.");
    }

    @Test
    void everythingElseNeedsTheToken() throws Exception {
        for (String path : List.of("/api/v1/status", "/api/v1/logs", "/api/v1/updates/x", "/_admin/status",
                "/_admin/register?name=a&url=a:1&service=s")) {
            var none = http.send(HttpRequest.newBuilder(URI.create(base + path)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(none.statusCode()).as(path).isEqualTo(401);
            assertThat(json(none).get("error").asText()).isEqualTo("missing or wrong bearer token");
            assertThat(none.body()).doesNotContain(TOKEN);
            var wrong = http.send(HttpRequest.newBuilder(URI.create(base + path))
                    .header("Authorization", "Bearer s3cret-tokem").build(), HttpResponse.BodyHandlers.ofString());
            assertThat(wrong.statusCode()).as(path).isEqualTo(401);
        }
        for (String path : List.of("/api/v1/update", "/api/v1/shutdown", "/api/v1/register",
                "/api/v1/children/a/report")) {
            var none = http.send(HttpRequest.newBuilder(URI.create(base + path))
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(none.statusCode()).as(path).isEqualTo(401);
        }
        assertThat(stack.children().children()).isEmpty();
        assertThat(stack.status().state()).as("shutdown not triggered").isEqualTo(Status.State.RUNNING);
    }

    @Test
    void statusIsTheTreeWithoutCorsHeaders() throws Exception {
        var response = get("/api/v1/status");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        JsonNode tree = json(response);
        assertThat(tree.get("type").asText()).isEqualTo("STACK");
        assertThat(tree.get("name").asText()).isEqualTo("top");
        assertThat(tree.get("aggregate").asText()).isEqualTo("HEALTHY");
        assertThat(tree.get("children").get(0).get("name").asText()).isEqualTo("web");
        assertThat(Json.MAPPER.treeToValue(tree, Status.class).children()).hasSize(1);
    }

    @Test
    void unknownRoutesAndBadMethodsAnswerJsonErrors() throws Exception {
        var missing = get("/api/v1/nothing");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(json(missing).has("details")).isTrue();
        var wrongMethod = http.send(req("/api/v1/status").DELETE().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(wrongMethod.statusCode()).isEqualTo(405);
        assertThat(json(wrongMethod).get("error").asText()).isNotEmpty();
    }

    @Test
    void bodiesNotDeclaredJsonAreRefusedBeforeTheyAreRead() throws Exception {
        String registration = "{\"name\":\"child\",\"url\":\"http://child:8080\",\"service\":\"top_child\"}";
        for (String path : List.of("/api/v1/update", "/api/v1/register", "/api/v1/children/child/report")) {
            for (String type : List.of("text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
                    "application/jsonp", "-")) {
                var request = req(path).POST(HttpRequest.BodyPublishers.ofString(registration));
                if (!type.equals("-")) {
                    request.header("Content-Type", type);
                }
                var response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).as(path + " " + type).isEqualTo(415);
                assertThat(json(response).get("error").asText()).as(path + " " + type)
                        .startsWith("Content-Type must be application/json, got ");
            }
        }
        assertThat(stack.children().children()).isEmpty();
        assertThat(stack.appliedDefinition()).isEmpty();
        var charset = http.send(req("/api/v1/register").header("Content-Type", "Application/JSON; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(registration)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(charset.statusCode()).as(charset.body()).isEqualTo(200);
    }

    @Test
    void bodiesOverTheLimitAreRefused() throws Exception {
        String big = "{\"definition\":\"" + "x".repeat(5000) + "\"}";
        var response = post("/api/v1/update", big);
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(json(response).get("error").asText()).contains("larger than 4096");
    }

    @Test
    void statusEventsDeliverAChange() throws Exception {
        HttpResponse<InputStream> response = http.send(req("/api/v1/status/events").GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/event-stream");
        try (var reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            JsonNode first = Json.MAPPER.readTree(nextData(reader, "status"));
            assertThat(first.get("aggregate").asText()).isEqualTo("HEALTHY");

            stack.setService("db", Status.State.FAILED);
            JsonNode changed = Json.MAPPER.readTree(nextData(reader, "status"));
            assertThat(changed.get("aggregate").asText()).isEqualTo("DEGRADED");

            assertThat(nextComment(reader)).isEqualTo(": keep-alive");
        }
    }

    @Test
    void anUpdateIsAcceptedAndItsProgressStreamed() throws Exception {
        stack.updateGate = new CountDownLatch(1);
        var response = post("/api/v1/update",
                "{\"parameters\":[\"a\"],\"environment\":{\"TAG\":\"1\"},\"definition\":\"services: {}\"}");
        assertThat(response.statusCode()).isEqualTo(202);
        String id = json(response).get("id").asText();
        assertThat(response.headers().firstValue("Location")).hasValue("/api/v1/updates/" + id);

        var second = post("/api/v1/update", "{\"definition\":\"services: {}\"}");
        assertThat(second.statusCode()).as("updates never overlap").isEqualTo(409);

        HttpResponse<InputStream> events = http.send(req("/api/v1/updates/" + id + "/events").GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
        try (var reader = new BufferedReader(new InputStreamReader(events.body(), StandardCharsets.UTF_8))) {
            assertThat(Json.MAPPER.readTree(nextData(reader, "progress")).get("phase").asText()).isEqualTo("plan");
            stack.updateGate.countDown();
            assertThat(Json.MAPPER.readTree(nextData(reader, "progress")).get("phase").asText()).isEqualTo("create");
            JsonNode kept = Json.MAPPER.readTree(nextData(reader, "progress"));
            assertThat(kept.get("phase").asText()).isEqualTo("history");
            assertThat(kept.get("subject").asText()).isEqualTo("version 1");
            assertThat(Json.MAPPER.readTree(nextData(reader, "progress")).get("phase").asText()).isEqualTo("done");
            assertThat(Json.MAPPER.readTree(nextData(reader, "end")).get("state").asText()).isEqualTo("SUCCEEDED");
        }
        JsonNode view = json(get("/api/v1/updates/" + id));
        assertThat(view.get("state").asText()).isEqualTo("SUCCEEDED");
        assertThat(view.get("events")).hasSize(4);
        assertThat(get("/api/v1/updates/nope").statusCode()).isEqualTo(404);
    }

    @Test
    void invalidUpdatesListTheirProblems() throws Exception {
        var badDefinition = post("/api/v1/update", "{\"definition\":\"invalid: yes\"}");
        assertThat(badDefinition.statusCode()).isEqualTo(400);
        assertThat(json(badDefinition).get("details").get(0).get("path").asText())
                .isEqualTo("services.web.deploy.replicas");

        var badBody = post("/api/v1/update", "{\"parameters\":[1],\"environment\":[]}");
        assertThat(badBody.statusCode()).isEqualTo(400);
        assertThat(json(badBody).get("details").toString())
                .contains("definition:", "parameters[0]:", "environment:");

        assertThat(post("/api/v1/update", "not json").statusCode()).isEqualTo(400);
    }

    @Test
    void definitionIsTheLastSuccessfulUpdatesText() throws Exception {
        var none = get("/api/v1/definition");
        assertThat(none.statusCode()).isEqualTo(404);
        assertThat(json(none).get("error").asText()).isEqualTo("no definition applied yet");

        var first = post("/api/v1/update", "{\"definition\":\"services:\\n  web: {}\\n\"}");
        assertThat(first.statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(5)).until(() -> get("/api/v1/definition").statusCode() == 200);
        JsonNode applied = json(get("/api/v1/definition"));
        assertThat(applied.get("definition").asText()).isEqualTo("services:\n  web: {}\n");
        assertThat(applied.get("appliedAt").asText()).isNotEmpty();

        stack.updateFailure = "engine said no";
        var failing = post("/api/v1/update", "{\"definition\":\"services: {}\"}");
        assertThat(failing.statusCode()).isEqualTo(202);
        String id = json(failing).get("id").asText();
        await().atMost(Duration.ofSeconds(5))
                .until(() -> json(get("/api/v1/updates/" + id)).get("state").asText().equals("FAILED"));
        assertThat(json(get("/api/v1/definition")).get("definition").asText())
                .as("a failed update does not replace the applied definition")
                .isEqualTo("services:\n  web: {}\n");
    }

    @Test
    void shutdownIsAcceptedAndStopsTheStack() throws Exception {
        var response = post("/api/v1/shutdown", "");
        assertThat(response.statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(5)).until(() -> stack.status().state() == Status.State.STOPPED);
        assertThat(stack.events).containsExactly("stop own services");
        assertThat(post("/api/v1/update", "{\"definition\":\"x: 1\"}").statusCode()).isEqualTo(409);
    }

    @Test
    void childrenRegisterAndReport() throws Exception {
        var registered = post("/api/v1/register",
                "{\"name\":\"shop\",\"url\":\"http://shop:3000\",\"service\":\"shop_ctl\"}");
        assertThat(registered.statusCode()).isEqualTo(200);
        assertThat(json(registered).get("heartbeatIntervalSeconds").asInt()).isEqualTo(10);

        Status childTree = Status.stack("shop", Status.State.RUNNING, "", null, Instant.now(),
                List.of(Status.service("cart", Status.State.FAILED, "boom", Instant.now())));
        var reported = post("/api/v1/children/shop/report", Json.MAPPER.writeValueAsString(childTree));
        assertThat(reported.statusCode()).isEqualTo(204);

        JsonNode tree = json(get("/api/v1/status"));
        JsonNode shop = tree.get("children").get(1);
        assertThat(shop.get("name").asText()).isEqualTo("shop");
        assertThat(shop.get("url").asText()).isEqualTo("http://shop:3000");
        assertThat(shop.get("children").get(0).get("message").asText()).isEqualTo("boom");
        assertThat(tree.get("aggregate").asText()).isEqualTo("DEGRADED");

        assertThat(post("/api/v1/children/ghost/report", Json.MAPPER.writeValueAsString(childTree)).statusCode())
                .isEqualTo(404);
        var invalid = post("/api/v1/register", "{\"name\":\"../etc\",\"url\":\"ftp://x\",\"service\":\"s\"}");
        assertThat(invalid.statusCode()).isEqualTo(400);
        assertThat(post("/api/v1/register", "{\"name\":\"top\",\"url\":\"http://x\",\"service\":\"s\"}")
                .statusCode()).as("own name").isEqualTo(400);
    }

    @Test
    void onlyChildStacksRegisterAndOnlyAtTheUrlTheTopologyGives() throws Exception {
        var stranger = post("/api/v1/register",
                "{\"name\":\"evil\",\"url\":\"http://evil:3000\",\"service\":\"evil\"}");
        assertThat(stranger.statusCode()).isEqualTo(400);
        assertThat(json(stranger).get("details").get(0).asText())
                .isEqualTo("name: evil is not a child stack of top (its child stacks: child, legacy, shop)");

        var elsewhere = post("/api/v1/register",
                "{\"name\":\"shop\",\"url\":\"http://attacker.example:3000\",\"service\":\"shop\"}");
        assertThat(elsewhere.statusCode()).isEqualTo(400);
        assertThat(json(elsewhere).get("details").get(0).asText()).isEqualTo("url: child stack shop registers with "
                + "http://shop:3000, the URL the topology gives it; got http://attacker.example:3000");

        for (String query : List.of("name=evil&url=evil:3000", "name=shop&url=attacker.example:3000",
                "name=shop&url=shop:3001")) {
            var compat = get("/_admin/register?" + query + "&service=s");
            assertThat(compat.statusCode()).as(query).isEqualTo(400);
            assertThat(compat.body()).as(query).contains(query.startsWith("name=evil") ? "evil is not a child stack"
                    : "registers with http://shop:3000");
        }
        assertThat(stack.children().children()).as("nothing registered").isEmpty();
        assertThat(post("/api/v1/register", "{\"name\":\"shop\",\"url\":\"http://shop:3000/\",\"service\":\"s\"}")
                .statusCode()).isEqualTo(200);
    }

    @Test
    void aChildsTokenRegistersAndReportsThatChildOnlyAndOpensNothingElse() throws Exception {
        String shop = StackToken.of(TOKEN).child("shop").value();
        String child = StackToken.of(TOKEN).child("child").value();
        String registration = "{\"name\":\"shop\",\"url\":\"http://shop:3000\",\"service\":\"shop_ctl\"}";
        Status report = Status.stack("shop", Status.State.RUNNING, "", null, Instant.now(), List.of());
        assertThat(as(child, "/api/v1/register", registration).statusCode()).as("a sibling's token").isEqualTo(401);
        assertThat(stack.children().children()).isEmpty();

        assertThat(as(shop, "/api/v1/register", registration).statusCode()).isEqualTo(200);
        assertThat(as(shop, "/api/v1/children/shop/report", Json.MAPPER.writeValueAsString(report)).statusCode())
                .isEqualTo(204);
        assertThat(as(child, "/api/v1/children/shop/report", Json.MAPPER.writeValueAsString(report)).statusCode())
                .as("a sibling reporting for shop").isEqualTo(401);
        assertThat(as(shop, "/api/v1/register", "{\"name\":\"child\",\"url\":\"http://child:3000\",\"service\":\"c\"}")
                .statusCode()).as("shop registering as its sibling").isEqualTo(401);
        assertThat(http.send(HttpRequest.newBuilder(URI.create(base
                        + "/_admin/register?name=legacy&url=legacy:3000&service=s&token=" + shop)).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).as("compatible route, another child").isEqualTo(401);
        assertThat(http.send(HttpRequest.newBuilder(URI.create(base
                        + "/_admin/register?name=shop&url=shop:3000&service=s&token=" + shop)).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);

        for (String path : List.of("/api/v1/update", "/api/v1/update/preview", "/api/v1/shutdown", "/api/v1/rollback")) {
            assertThat(as(shop, path, "{\"definition\":\"services: {}\"}").statusCode()).as(path).isEqualTo(401);
        }
        for (String path : List.of("/api/v1/status", "/api/v1/logs", "/api/v1/definition", "/api/v1/history",
                "/api/v1/routes", "/_admin/status")) {
            var response = http.send(HttpRequest.newBuilder(URI.create(base + path))
                    .header("Authorization", "Bearer " + shop).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(path).isEqualTo(401);
        }
        assertThat(stack.status().state()).as("shutdown not triggered").isEqualTo(Status.State.RUNNING);
        assertThat(stack.appliedDefinition()).isEmpty();
    }

    private HttpResponse<String> as(String token, String path, String json) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The original's own register call, tokenless, from the loopback address these tests call from. */
    private HttpResponse<String> originalRegister(String query) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + "/_admin/register?" + query)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void anOriginalChildRegistersWithoutATokenOnlyFromItsOwnTaskOnItsLinkNetwork() throws Exception {
        stack.originalChildren.put("legacy", "http://legacy:3000");
        String query = "name=top_legacy-1&url=0badc0ffee00:3000&service=legacy/test";

        assertThat(originalRegister(query).statusCode()).as("no task of legacy holds 127.0.0.1").isEqualTo(401);
        stack.originalChildAddresses.put("shop", java.util.Set.of("127.0.0.1"));
        assertThat(originalRegister(query).statusCode()).as("held by another child's task").isEqualTo(401);
        stack.originalChildAddresses.put("legacy", java.util.Set.of("127.0.0.1"));
        assertThat(originalRegister("name=x&url=x:3000&service=web/test").statusCode())
                .as("an address of legacy's task, but web is no original child").isEqualTo(401);
        assertThat(stack.children().children()).as("nothing registered").isEmpty();

        var accepted = originalRegister(query);
        assertThat(accepted.statusCode()).isEqualTo(200);
        assertThat(json(accepted).get("status").asText()).isEqualTo("ok");
        assertThat(stack.children().find("legacy").orElseThrow().registration()).as("under its key, at the "
                + "topology's URL, whatever it advertised")
                .isEqualTo(Registration.original("legacy", "http://legacy:3000", "legacy"));
        assertThat(originalRegister("name=top_legacy-1&url=legacy:3000&service=legacy").statusCode())
                .as("the /test suffix is tolerated, not needed").isEqualTo(200);
    }

    @Test
    void withoutOriginalChildrenTheTokenlessRegisterCallIsRefused() throws Exception {
        stack.childStacks.put("shop", "http://shop:3000");
        assertThat(originalRegister("name=shop&url=shop:3000&service=shop/test").statusCode()).isEqualTo(401);
        assertThat(originalRegister("name=shop&url=shop:3000&service=shop&token=wrong").statusCode()).isEqualTo(401);
        assertThat(stack.children().children()).isEmpty();
    }

    @Test
    void compatibleRoutesSpeakTheSidecarsShape() throws Exception {
        var registered = http.send(HttpRequest.newBuilder(URI.create(
                        base + "/_admin/register?name=legacy&url=legacy:3000&service=legacy_svc&token=" + TOKEN))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(registered.statusCode()).isEqualTo(200);
        assertThat(json(registered).get("status").asText()).isEqualTo("ok");
        assertThat(stack.children().find("legacy").orElseThrow().registration().url())
                .isEqualTo("http://legacy:3000");

        assertThat(http.send(HttpRequest.newBuilder(URI.create(base + "/_admin/status?token=" + TOKEN)).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).as("query token for register only").isEqualTo(401);

        JsonNode status = json(get("/_admin/status"));
        assertThat(status.get("service").asText()).isEqualTo("top");
        assertThat(status.get("services").get("web").get("status").asText()).isEqualTo("running");
        assertThat(status.get("services").get("legacy").get("type").asText()).isEqualTo("stack");
    }

    @Test
    void logsAreJsonLinesFilteredAndValidated() throws Exception {
        var lines = get("/api/v1/logs?service=web&tail=10&stream=both&follow=false");
        assertThat(lines.statusCode()).isEqualTo(200);
        assertThat(lines.headers().firstValue("Content-Type")).hasValue("application/x-ndjson");
        assertThat(lines.body().lines().map(l -> l.contains("hello") || l.contains("oops"))).containsOnly(true)
                .hasSize(2);

        assertThat(get("/api/v1/logs?service=nosuch").statusCode()).isEqualTo(404);
        var traversal = get("/api/v1/logs?service=..%2Fetc&tail=-1&stream=all&follow=maybe&since=yesterday");
        assertThat(traversal.statusCode()).isEqualTo(400);
        assertThat(json(traversal).get("details")).hasSize(5);
    }

    @Test
    void followedLogsStreamAndAreBounded() throws Exception {
        List<HttpResponse<InputStream>> open = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            open.add(http.send(req("/api/v1/logs?service=web&follow=true").GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream()));
        }
        var reader = new BufferedReader(new InputStreamReader(open.get(0).body(), StandardCharsets.UTF_8));
        assertThat(Json.MAPPER.readTree(nextData(reader, "log")).get("text").asText()).isEqualTo("hello");

        var third = get("/api/v1/logs?follow=true");
        assertThat(third.statusCode()).isEqualTo(429);

        for (var response : open) {
            response.body().close();
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> stack.openFollows == 0);
        await().atMost(Duration.ofSeconds(5)).until(() -> {
            var again = http.send(req("/api/v1/logs?follow=true").GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            again.body().close();
            return again.statusCode() == 200;
        });
    }

    private static String nextData(BufferedReader reader, String event) throws Exception {
        String current = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        String line;
        while (System.nanoTime() < deadline && (line = reader.readLine()) != null) {
            if (line.startsWith("event: ")) {
                current = line.substring(7);
            } else if (line.startsWith("data: ") && event.equals(current)) {
                return line.substring(6);
            }
        }
        throw new AssertionError("no " + event + " event arrived");
    }

    private static String nextComment(BufferedReader reader) throws Exception {
        String line;
        while ((line = reader.readLine()) != null) {
            if (line.equals(": keep-alive")) {
                return line;
            }
        }
        throw new AssertionError("stream ended");
    }
}
