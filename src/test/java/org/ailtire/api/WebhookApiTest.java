package org.ailtire.api;

import org.ailtire.stack.Json;
import org.ailtire.stack.UpdateRequest;
import org.ailtire.webhook.WebhookSignature;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The webhook's secret behind the token, and signed deliveries without it, over HTTP on an in-memory stack. */
class WebhookApiTest extends ControlPlaneTestBase {
    WebhookApiTest() {
        super(8192);
    }

    private HttpResponse<String> deliver(String body, String signature) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + "/hooks/redeploy"))
                .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json");
        if (signature != null) {
            request.header(WebhookSignature.HEADER, signature);
        }
        return http.send(request.POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String sign(String secret, String body) {
        return WebhookSignature.header(secret, Instant.now().getEpochSecond(), body.getBytes(StandardCharsets.UTF_8));
    }

    private void applied() throws Exception {
        var started = post("/api/v1/update", Json.MAPPER.writeValueAsString(Map.of("definition", "service: web\n")));
        assertThat(started.statusCode()).isEqualTo(202);
        String id = json(started).get("id").asText();
        await().atMost(Duration.ofSeconds(10)).until(() -> !json(get("/api/v1/updates/" + id)).get("state").asText()
                .equals("RUNNING"));
    }

    @Test
    void theSecretIsShownOnceBehindTheTokenAndASignedDeliveryRefreshesTheNamedServices() throws Exception {
        applied();
        assertThat(http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/webhook"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString())
                .statusCode()).as("no token").isEqualTo(401);
        assertThat(get("/api/v1/webhook").statusCode()).isEqualTo(404);
        assertThat(deliver("{}", sign("guess", "{}")).statusCode()).as("no webhook yet").isEqualTo(404);

        var made = post("/api/v1/webhook", "");
        assertThat(made.statusCode()).isEqualTo(201);
        String secret = json(made).get("secret").asText();
        assertThat(json(made).get("url").asText()).isEqualTo("/hooks/redeploy");
        var shown = get("/api/v1/webhook");
        assertThat(shown.statusCode()).isEqualTo(200);
        assertThat(shown.body()).doesNotContain(secret).contains("createdAt");

        String body = "{\"services\":[\"web\"]}";
        String signature = sign(secret, body);
        var accepted = deliver(body, signature);
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        String id = json(accepted).get("id").asText();
        await().atMost(Duration.ofSeconds(10)).until(() -> json(get("/api/v1/updates/" + id)).get("state").asText()
                .equals("SUCCEEDED"));
        UpdateRequest request = stack.lastRequest;
        assertThat(request.refresh()).containsExactly("web");
        assertThat(request.definition()).as("the version applied now").isEqualTo("service: web\n");
        assertThat(stack.events().all()).anyMatch(e -> e.actor().startsWith("webhook from 127.0.0.1 (webhook: web)"));

        var replayed = deliver(body, signature);
        assertThat(replayed.statusCode()).isEqualTo(409);
        assertThat(replayed.body()).contains("replayed");
        var unsigned = deliver(body, null);
        assertThat(unsigned.statusCode()).isEqualTo(401);
        assertThat(unsigned.body()).contains("unsigned");
        assertThat(deliver(body, sign("wrong", body)).statusCode()).isEqualTo(401);
        assertThat(deliver("[1]", sign(secret, "[1]")).statusCode()).isEqualTo(400);
    }

    @Test
    void aTurnedOffOrRotatedWebhookRefusesTheOldSecret() throws Exception {
        applied();
        String first = json(post("/api/v1/webhook", "")).get("secret").asText();
        String second = json(post("/api/v1/webhook", "")).get("secret").asText();
        assertThat(deliver("", sign(first, "")).statusCode()).isEqualTo(401);

        var deleted = http.send(req("/api/v1/webhook").DELETE().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(deleted.statusCode()).isEqualTo(204);
        assertThat(deliver("", sign(second, "")).statusCode()).isEqualTo(404);
        assertThat(stack.versions()).as("nothing refused was applied").hasSize(1);
        assertThat(stack.lastRequest.refresh()).as("no delivery started an update").isEmpty();
    }
}
