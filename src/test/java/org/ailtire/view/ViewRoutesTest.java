package org.ailtire.view;

import io.vertx.core.Vertx;
import org.ailtire.api.AdminServer;
import org.ailtire.api.ServerSettings;
import org.ailtire.stack.FakeStack;
import org.ailtire.stack.Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ViewRoutesTest {
    private static final String TOKEN = "view-token";
    private final HttpClient http = HttpClient.newHttpClient();
    private Vertx vertx;
    private AdminServer server;
    private String base;

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
        FakeStack stack = FakeStack.simple("top");
        stack.setService("web", Status.State.RUNNING);
        server = new AdminServer(vertx, stack, ServerSettings.of("127.0.0.1", 0, TOKEN));
        base = "http://127.0.0.1:" + server.start().join();
    }

    @AfterEach
    void stop() {
        server.close();
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    private HttpResponse<String> anonymous(String method, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10))
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theConsoleFilesAreServedWithoutATokenWithTheirContentTypes() throws Exception {
        assertFile("/_ailtire/", "text/html; charset=utf-8", "<script src=\"console.js\"");
        assertFile("/_ailtire/index.html", "text/html; charset=utf-8", "console.css");
        assertFile("/_ailtire/console.js", "text/javascript; charset=utf-8", "textContent");
        assertFile("/_ailtire/console.css", "text/css; charset=utf-8", "--ok");
    }

    private void assertFile(String path, String contentType, String content) throws Exception {
        var response = anonymous("GET", path);
        assertThat(response.statusCode()).as(path).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).as(path).hasValue(contentType);
        assertThat(response.headers().firstValue("X-Content-Type-Options")).as(path).hasValue("nosniff");
        String policy = response.headers().firstValue("Content-Security-Policy").orElseThrow();
        assertThat(policy).as(path)
                .contains("default-src 'self'", "script-src 'self'", "frame-ancestors 'self'")
                .doesNotContain("unsafe-inline", "unsafe-eval");
        assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).as(path).isEmpty();
        assertThat(response.body()).as(path).contains(content);
    }

    @Test
    void thePageHasNoInlineScriptOrStyleAndOnlyRelativeUrls() throws Exception {
        String html = anonymous("GET", "/_ailtire/").body();
        Matcher scripts = Pattern.compile("<script([^>]*)>(.*?)</script>", Pattern.DOTALL).matcher(html);
        int count = 0;
        while (scripts.find()) {
            count++;
            assertThat(scripts.group(1)).contains("src=\"console.js\"");
            assertThat(scripts.group(2)).isBlank();
        }
        assertThat(count).isEqualTo(1);
        assertThat(html).doesNotContain("<style", " style=", "onclick", "http://", "https://", "src=\"/",
                "href=\"/");
        assertThat(anonymous("GET", "/_ailtire/console.js").body()).doesNotContain("innerHTML", "EventSource",
                "eval(");
    }

    @Test
    void withoutTheTrailingSlashTheConsoleRedirectsRelatively() throws Exception {
        var response = anonymous("GET", "/_ailtire");
        assertThat(response.statusCode()).isEqualTo(301);
        assertThat(response.headers().firstValue("Location")).hasValue("_ailtire/");
    }

    @Test
    void unknownFilesAndWritesAreRefused() throws Exception {
        assertThat(anonymous("GET", "/_ailtire/secret.txt").statusCode()).isEqualTo(404);
        assertThat(anonymous("GET", "/_ailtire/../api/v1/status").statusCode()).isIn(401, 404);
        assertThat(anonymous("POST", "/_ailtire/index.html").statusCode()).isEqualTo(405);
        assertThat(anonymous("HEAD", "/_ailtire/console.js").statusCode()).isEqualTo(200);
    }

    @Test
    void theApiStillNeedsTheToken() throws Exception {
        assertThat(anonymous("GET", "/api/v1/status").statusCode()).isEqualTo(401);
        assertThat(anonymous("GET", "/api/v1/definition").statusCode()).isEqualTo(401);
        assertThat(anonymous("GET", "/api/v1/status/events").statusCode()).isEqualTo(401);
    }

    @Test
    void frameAncestorsCanBeNarrowedButNotInjected() {
        assertThat(new ViewRoutes("'self' https://ops.example").policy())
                .endsWith("frame-ancestors 'self' https://ops.example");
        assertThatThrownBy(() -> new ViewRoutes("*; script-src 'unsafe-inline'"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("CSP source expressions");
        assertThatThrownBy(() -> new ViewRoutes("*\r\nX-Evil: 1")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void frameAncestorsAreTheConsolesOwnOriginUnlessTheEnvironmentSaysOtherwise() {
        assertThat(ViewRoutes.fromEnvironment(java.util.Map.of()).policy()).endsWith("; frame-ancestors 'self'");
        assertThat(ViewRoutes.fromEnvironment(java.util.Map.of(FrameAncestors.VARIABLE,
                " 'self'   https://portal.example.com:8443/ops ")).policy())
                .endsWith("; frame-ancestors 'self' https://portal.example.com:8443/ops");
        assertThatThrownBy(() -> ViewRoutes.fromEnvironment(java.util.Map.of(FrameAncestors.VARIABLE, "x;y")))
                .hasMessageStartingWith(FrameAncestors.VARIABLE + ": ");
    }

    @Test
    void frameAncestorsTakeSourceExpressionsOnly() {
        for (String valid : java.util.List.of("'self'", "'none'", "*", "https:", "'SELF' https://*.example.com",
                "http://127.0.0.1:8080", "portal.example.com", "https://portal.example.com:*/a/b")) {
            assertThat(FrameAncestors.parse(valid)).as(valid).isEqualTo(valid);
        }
        for (String invalid : java.util.List.of("'self'; script-src *", "'self', https://a.example",
                "'self'\nhttps://a.example", "'unsafe-inline'", "'none' 'self'", "https://a.example/x?y",
                "\"https://a.example\"", "", " ")) {
            assertThatThrownBy(() -> FrameAncestors.parse(invalid)).as(invalid)
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> FrameAncestors.parse("'self' https://a.example;"))
                .hasMessageContaining("\"https://a.example;\" is not one");
    }
}
