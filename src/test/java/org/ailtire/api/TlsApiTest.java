package org.ailtire.api;

import io.vertx.core.Vertx;
import org.ailtire.gateway.RouteTable;
import org.ailtire.stack.FakeStack;
import org.ailtire.stack.Json;
import org.ailtire.tls.GatewayCertificate;
import org.ailtire.tls.TestCertificates;
import org.ailtire.tls.TlsCertificate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code /api/v1/tls} in front of a gateway certificate that checks what it is given as the controller's does. */
class TlsApiTest {
    private static final String TOKEN = "t0ken";
    private final HttpClient http = HttpClient.newHttpClient();
    private Vertx vertx;
    private AdminServer server;
    @TempDir
    Path temp;

    /** Checks as {@link TlsCertificate} does, then serves what it was given; or fails like a refusing engine. */
    private static final class Served implements GatewayCertificate {
        final List<String> actors = new ArrayList<>();
        GatewayCertificate.Served now = new GatewayCertificate.Served("CN=first", Instant.parse("2030-01-01T00:00:00Z"),
                "aa", "deploy", null, "");
        boolean engineDown;

        @Override
        public synchronized Optional<GatewayCertificate.Served> served() {
            return Optional.of(now);
        }

        @Override
        public synchronized GatewayCertificate.Served replace(String certificates, String key, String actor)
                throws IOException {
            TlsCertificate checked = TlsCertificate.parse(certificates, key, "certificate", "key");
            if (engineDown) {
                throw new IOException("the engine did not answer");
            }
            actors.add(actor);
            now = new GatewayCertificate.Served(checked.subject(), checked.notAfter(), checked.fingerprint(), "replaced",
                    Instant.now(), actor);
            return now;
        }
    }

    private String start(GatewayCertificate certificate) {
        vertx = Vertx.vertx();
        server = new AdminServer(vertx, FakeStack.simple("top"), ServerSettings.of("127.0.0.1", 0, TOKEN),
                RouteTable.empty(), certificate);
        return "http://127.0.0.1:" + server.start().join();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().join();
        }
    }

    private HttpResponse<String> put(String base, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/tls"))
                .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/json")
                .header("X-Ailtire-Actor", "ops@laptop (cli)")
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String base) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/tls"))
                .header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofString());
    }

    private String body(TestCertificates.Pair pair) throws Exception {
        return Json.MAPPER.writeValueAsString(Map.of("certificate", Files.readString(pair.certificate()),
                "key", Files.readString(pair.key())));
    }

    @Test
    void aValidChainAndKeyAreServedAndShownWithWhoGaveThem() throws Exception {
        Served certificate = new Served();
        String base = start(certificate);
        assertThat(Json.MAPPER.readTree(get(base).body()).path("origin").asText()).isEqualTo("deploy");

        HttpResponse<String> replaced = put(base, body(TestCertificates.make(temp, "second", "rsa")));

        assertThat(replaced.statusCode()).as(replaced.body()).isEqualTo(200);
        var view = Json.MAPPER.readTree(get(base).body());
        assertThat(view.path("subject").asText()).isEqualTo("CN=second");
        assertThat(view.path("origin").asText()).isEqualTo("replaced");
        assertThat(view.path("fingerprint").asText()).hasSize(64);
        assertThat(view.path("actor").asText()).startsWith("ops@laptop (cli) from 127.0.0.1");
        assertThat(replaced.body()).doesNotContain("PRIVATE KEY");
    }

    @Test
    void aKeyOfAnotherCertificateOrABrokenBodyIsRefusedAndNothingChanges() throws Exception {
        Served certificate = new Served();
        String base = start(certificate);
        TestCertificates.Pair shop = TestCertificates.make(temp, "shop", "ec");
        TestCertificates.Pair blog = TestCertificates.make(temp, "blog", "ec");

        HttpResponse<String> mismatched = put(base, Json.MAPPER.writeValueAsString(Map.of(
                "certificate", Files.readString(shop.certificate()), "key", Files.readString(blog.key()))));
        HttpResponse<String> noKey = put(base, Json.MAPPER.writeValueAsString(Map.of(
                "certificate", Files.readString(shop.certificate()))));
        HttpResponse<String> notJson = put(base, "certificate=x");

        assertThat(mismatched.statusCode()).isEqualTo(400);
        assertThat(mismatched.body()).contains("key: this private key does not belong to the certificate");
        assertThat(noKey.statusCode()).isEqualTo(400);
        assertThat(noKey.body()).contains("expected {certificate, key}");
        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(certificate.actors).isEmpty();
        assertThat(Json.MAPPER.readTree(get(base).body()).path("subject").asText()).isEqualTo("CN=first");
    }

    @Test
    void aFailureToKeepItAnswers503() throws Exception {
        Served certificate = new Served();
        certificate.engineDown = true;
        String base = start(certificate);

        HttpResponse<String> refused = put(base, body(TestCertificates.make(temp, "second", "ec")));

        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.body()).contains("the previous one still serves").contains("the engine did not answer");
    }

    @Test
    void aGatewayWithoutTlsAnswers404ToReadsAnd409ToReplacements() throws Exception {
        String base = start(GatewayCertificate.NONE);

        assertThat(get(base).statusCode()).isEqualTo(404);
        HttpResponse<String> put = put(base, body(TestCertificates.make(temp, "second", "ec")));
        assertThat(put.statusCode()).isEqualTo(409);
        assertThat(put.body()).contains("serves plain HTTP");
    }

    @Test
    void theTokenIsRequired() throws Exception {
        String base = start(new Served());

        HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/tls"))
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(anonymous.statusCode()).isEqualTo(401);
    }
}
