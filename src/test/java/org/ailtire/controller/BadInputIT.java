package org.ailtire.controller;

import org.ailtire.stack.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Malformed and hostile requests (src/test/resources/corpus, listed in index.tsv) against a real controller on the
 * real engine: each gets the expected 4xx with a JSON error naming the problem, and nothing reaches the engine.
 */
@Tag("integration")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputIT {
    private InProcessController controller;

    record Item(String file, String method, String path, String contentType, int status, String fragment) {
        @Override
        public String toString() {
            return file + " " + method + " " + path + " (" + contentType + ") -> " + status;
        }
    }

    @BeforeAll
    void start(@TempDir Path temp) throws Exception {
        controller = new InProcessController(temp);
    }

    @AfterAll
    void stop() {
        if (controller != null) {
            controller.close();
        }
    }

    @TestFactory
    Stream<DynamicTest> everyCorpusItemIsRefusedWithItsReason() throws IOException {
        return index().stream().map(item -> DynamicTest.dynamicTest(item.toString(), () -> {
            HttpResponse<String> response = controller.send(request(item));
            assertRefused(item.toString(), response, item.status(), item.fragment());
        }));
    }

    @Test
    void aDefinitionLargerThanOneMebibyteIsRefusedWhole() throws Exception {
        StringBuilder yaml = new StringBuilder("services:\n  web:\n    image: ailtire/busybox:local\n    labels:\n");
        for (int i = 0; yaml.length() <= 1_100_000; i++) {
            yaml.append("      label").append(i).append(": \"").append("x".repeat(80)).append("\"\n");
        }
        String body = Json.MAPPER.writeValueAsString(Map.of("definition", yaml.toString()));
        HttpResponse<String> response = controller.send(controller.authorized("/api/v1/update")
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build());
        assertRefused("huge definition (" + body.length() + " bytes)", response, 413, "request body larger than");
    }

    @Test
    void theTreesTokenSecretIsNeverGivenToADefinition() throws Exception {
        String tokenSecret = controller.namespace() + "-root_token";
        String yaml = "services:\n  web:\n    image: ailtire/busybox:local\n    secrets: [t]\n"
                + "secrets:\n  t:\n    external: true\n    name: " + tokenSecret + "\n";
        for (String path : List.of("/api/v1/update", "/api/v1/update/preview")) {
            HttpResponse<String> response = controller.send(controller.authorized(path)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(Json.MAPPER.writeValueAsString(Map.of("definition", yaml))))
                    .build());
            assertRefused("the token's secret by name (" + path + ")", response, 400,
                    "secrets.t: refused: the secret \"" + tokenSecret + "\" is reserved (the tree's token)");
        }
    }

    @Test
    void jsonNestedTooDeepIsRefused() throws Exception {
        String body = "{\"definition\": " + "[".repeat(5000) + "]".repeat(5000) + "}";
        HttpResponse<String> response = controller.send(controller.authorized("/api/v1/update")
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build());
        assertRefused("JSON nested 5000 deep", response, 400, "body: not JSON: Document nesting depth (1001) exceeds");
    }

    @Test
    void aBodyStreamedWithoutLengthIsCutAtTheLimit() throws Exception {
        byte[] chunk = "x".repeat(64 * 1024).getBytes(StandardCharsets.UTF_8);
        // ofInputStream has no known length: the body goes chunked, so only the server's counting can stop it.
        HttpRequest request = controller.authorized("/api/v1/update").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new InputStream() {
                    private long left = 2L * 1024 * 1024;

                    @Override
                    public int read() {
                        return left-- > 0 ? 'x' : -1;
                    }

                    @Override
                    public int read(byte[] b, int off, int len) {
                        if (left <= 0) {
                            return -1;
                        }
                        int n = (int) Math.min(Math.min(len, chunk.length), left);
                        System.arraycopy(chunk, 0, b, off, n);
                        left -= n;
                        return n;
                    }
                })).build();
        HttpResponse<String> response;
        try {
            response = controller.send(request);
        } catch (IOException closedWhileSending) {
            // The server may answer 413 and close before the client finished sending: also a refusal.
            assertThat(controller.engineObjects()).isEmpty();
            return;
        }
        assertRefused("2 MiB chunked body", response, 413, "request body larger than");
    }

    private void assertRefused(String what, HttpResponse<String> response, int status, String fragment) throws IOException {
        System.out.println("[input] " + what + " -> " + response.statusCode() + " " + response.body());
        assertThat(response.statusCode()).as(what + ": " + response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).as(what).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        assertThat(problems(response.body())).as(what).contains(fragment);
        assertThat(controller.engineObjects()).as("engine objects of the namespace after " + what).isEmpty();
        assertThat(controller.controller().stack().appliedDefinition()).as(what).isEmpty();
        assertThat(controller.controller().stack().children().children()).as(what).isEmpty();
    }

    /** The JSON error as text: the error, then one line per detail ({@code path: message} for a problem). */
    private static String problems(String body) throws IOException {
        Map<?, ?> error = Json.MAPPER.readValue(body, Map.class);
        assertThat(error.get("error")).as(body).isInstanceOf(String.class);
        assertThat(error.get("details")).as(body).isInstanceOf(List.class);
        StringBuilder text = new StringBuilder((String) error.get("error"));
        for (Object detail : (List<?>) error.get("details")) {
            text.append('\n').append(detail instanceof Map<?, ?> problem
                    ? problem.get("path") + ": " + problem.get("message") : String.valueOf(detail));
        }
        return text.toString();
    }

    private HttpRequest request(Item item) throws IOException {
        HttpRequest.Builder builder = controller.authorized(item.path());
        if (!item.contentType().equals("-")) {
            builder.header("Content-Type", item.contentType());
        }
        HttpRequest.BodyPublisher body = item.file().equals("-")
                ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body(item.file()));
        return builder.method(item.method(), body).build();
    }

    private static String body(String file) throws IOException {
        String content = resource(file);
        return file.endsWith(".yml") ? Json.MAPPER.writeValueAsString(Map.of("definition", content)) : content;
    }

    static List<Item> index() throws IOException {
        return resource("index.tsv").lines()
                .filter(line -> !line.isBlank() && !line.startsWith("#"))
                .map(line -> {
                    String[] f = line.split("\t");
                    if (f.length != 6) {
                        throw new IllegalArgumentException("corpus/index.tsv: expected 6 tab-separated fields: " + line);
                    }
                    return new Item(f[0], f[1], f[2], f[3], Integer.parseInt(f[4]), f[5]);
                })
                .toList();
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = BadInputIT.class.getResourceAsStream("/corpus/" + name)) {
            if (in == null) {
                throw new IOException("corpus/" + name + " is missing");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
