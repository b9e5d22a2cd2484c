package org.ailtire.controller;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.ailtire.stack.Json;
import org.ailtire.stack.Status;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The control plane's guards on a real controller and the real engine: the token is required for every call that
 * changes something (and a refused call changes nothing), the token never reaches the log, no CORS headers, the
 * body limit, and the bound on followed log streams. Runs in order: the stack is deployed, followed, shut down.
 */
@Tag("integration")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SecurityIT {
    private static final String DEFINITION = """
            services:
              sleeper:
                image: ailtire/busybox:local
                command: ["sh", "-c", "echo sleeper up; while true; do sleep 1; echo tick; done"]
                stop_grace_period: 1s
            """;
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private InProcessController controller;

    @BeforeAll
    void start(@TempDir Path temp) throws Exception {
        log.start();
        root().addAppender(log);
        // The most the controller ever logs: every debug line must be free of the token too.
        ours().setLevel(ch.qos.logback.classic.Level.DEBUG);
        controller = new InProcessController(temp);
    }

    @AfterAll
    void stop() {
        try {
            if (controller != null) {
                controller.close();
            }
        } finally {
            root().detachAppender(log);
            ours().setLevel(null);
        }
    }

    @Test
    @Order(1)
    void everyCallWithoutTheRightTokenIs401AndChangesNothing() throws Exception {
        String update = Json.MAPPER.writeValueAsString(Map.of("definition", DEFINITION));
        String registration = "{\"name\":\"intruder\",\"url\":\"http://intruder:8080\",\"service\":\"x_intruder\"}";
        String report = "{\"type\":\"STACK\",\"name\":\"intruder\",\"state\":\"RUNNING\"}";
        List<HttpRequest.Builder> calls = new ArrayList<>();
        for (String credentials : new String[]{null, "Bearer wrong-" + controller.token(), "Bearer ",
                "Basic " + controller.token(), "Bearer " + controller.token().substring(1)}) {
            calls.add(withCredentials(controller.request("/api/v1/update").POST(HttpRequest.BodyPublishers.ofString(update)), credentials));
            calls.add(withCredentials(controller.request("/api/v1/shutdown").POST(HttpRequest.BodyPublishers.noBody()), credentials));
            calls.add(withCredentials(controller.request("/api/v1/register").POST(HttpRequest.BodyPublishers.ofString(registration)), credentials));
            calls.add(withCredentials(controller.request("/api/v1/children/intruder/report").POST(HttpRequest.BodyPublishers.ofString(report)), credentials));
            calls.add(withCredentials(controller.request("/_admin/register?name=intruder&url=intruder:8080"), credentials));
            calls.add(withCredentials(controller.request("/api/v1/status"), credentials));
            calls.add(withCredentials(controller.request("/api/v1/logs?service=sleeper"), credentials));
        }
        calls.add(controller.request("/_admin/register?name=intruder&url=intruder:8080&token=wrong"));
        for (HttpRequest.Builder call : calls) {
            HttpRequest request = call.header("Content-Type", "application/json").build();
            HttpResponse<String> response = controller.send(request);
            String what = request.method() + " " + request.uri() + " " + request.headers().firstValue("Authorization").orElse("(none)");
            assertThat(response.statusCode()).as(what).isEqualTo(401);
            assertThat(response.headers().firstValue("WWW-Authenticate")).as(what).hasValue("Bearer");
            assertThat(Json.MAPPER.readTree(response.body()).get("error").asText()).isEqualTo("missing or wrong bearer token");
        }
        System.out.println("[security] " + calls.size() + " calls without the right token: all 401");
        assertThat(controller.controller().stack().status().state()).isEqualTo(Status.State.RUNNING);
        assertThat(controller.controller().stack().children().children()).isEmpty();
        assertThat(controller.controller().stack().appliedDefinition()).isEmpty();
        assertThat(controller.engineObjects()).isEmpty();
    }

    @Test
    @Order(2)
    void theRightTokenDeploys() throws Exception {
        HttpResponse<String> started = controller.send(controller.authorized("/api/v1/update")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.MAPPER.writeValueAsString(Map.of("definition", DEFINITION))))
                .build());
        assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
        String view = Json.MAPPER.readTree(started.body()).get("status").asText();
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).until(() ->
                Json.MAPPER.readTree(controller.send(controller.authorized(view).GET().build()).body())
                        .get("state").asText(), state -> !state.equals("RUNNING"));
        String outcome = controller.send(controller.authorized(view).GET().build()).body();
        System.out.println("[security] update with the right token: " + outcome);
        assertThat(Json.MAPPER.readTree(outcome).get("state").asText()).isEqualTo("SUCCEEDED");
        assertThat(controller.engineObjects()).anySatisfy(o -> assertThat(o).isEqualTo("service " + controller.namespace() + "_sleeper"));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(controller.controller().stack().status()
                .children()).anySatisfy(s -> {
                    assertThat(s.name()).isEqualTo("sleeper");
                    assertThat(s.state()).isEqualTo(Status.State.RUNNING);
                }));
    }

    @Test
    @Order(3)
    void noCorsHeadersForAForeignOrigin() throws Exception {
        List<HttpResponse<String>> answers = List.of(
                controller.send(controller.authorized("/api/v1/status").header("Origin", "http://evil.example").GET().build()),
                controller.send(controller.request("/api/v1/update").header("Origin", "http://evil.example")
                        .header("Access-Control-Request-Method", "POST")
                        .header("Access-Control-Request-Headers", "authorization, content-type")
                        .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build()),
                controller.send(controller.request("/api/v1/health").header("Origin", "null").GET().build()));
        for (HttpResponse<String> answer : answers) {
            assertThat(answer.headers().map().keySet()).as(answer.request().method() + " " + answer.request().uri())
                    .noneMatch(name -> name.toLowerCase(java.util.Locale.ROOT).startsWith("access-control-"));
        }
        assertThat(answers.get(1).statusCode()).as("a preflight is not answered with a permission").isEqualTo(401);
    }

    @Test
    @Order(4)
    void bodiesOverOneMebibyteAre413() throws Exception {
        String huge = "{\"name\":\"" + "x".repeat(1024 * 1024) + "\"}";
        for (String path : List.of("/api/v1/register", "/api/v1/update", "/api/v1/children/x/report")) {
            HttpResponse<String> response = controller.send(controller.authorized(path)
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(huge)).build());
            assertThat(response.statusCode()).as(path).isEqualTo(413);
            assertThat(Json.MAPPER.readTree(response.body()).get("error").asText()).contains("larger than 1048576 bytes");
        }
        assertThat(controller.controller().stack().children().children()).isEmpty();
    }

    @Test
    @Order(5)
    void concurrentLogFollowsAreLimited() throws Exception {
        List<CompletableFuture<HttpResponse<InputStream>>> follows = new ArrayList<>();
        try {
            for (int i = 0; i < 16; i++) {
                follows.add(follow());
            }
            for (var follow : follows) {
                HttpResponse<InputStream> response = follow.get(30, TimeUnit.SECONDS);
                assertThat(response.statusCode()).as(() -> readAll(response.body())).isEqualTo(200);
            }
            HttpResponse<InputStream> refused = follow().get(30, TimeUnit.SECONDS);
            String body = new String(refused.body().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(refused.statusCode()).as(body).isEqualTo(429);
            assertThat(body).contains("too many log streams followed at once (limit 16)");
            System.out.println("[security] 16 log follows open, the 17th: " + refused.statusCode() + " " + body);
        } finally {
            for (var follow : follows) {
                follow.thenAccept(response -> close(response.body()));
            }
        }
        // Closed follows are given back.
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            HttpResponse<InputStream> again = follow().get(30, TimeUnit.SECONDS);
            close(again.body());
            assertThat(again.statusCode()).isEqualTo(200);
        });
    }

    @Test
    @Order(6)
    void theRightTokenShutsDownAndNothingIsLeft() throws Exception {
        HttpResponse<String> response = controller.send(controller.authorized("/api/v1/shutdown")
                .POST(HttpRequest.BodyPublishers.noBody()).build());
        assertThat(response.statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(90)).until(() -> controller.controller().stack().status().state() == Status.State.STOPPED);
        assertThat(controller.engineObjects()).isEmpty();
    }

    @Test
    @Order(7)
    void theTokenNeverReachesTheLog() {
        List<ILoggingEvent> events = List.copyOf(log.list);
        assertThat(events).extracting(ILoggingEvent::getFormattedMessage).as("the controller's log was captured")
                .anySatisfy(line -> assertThat(line).contains("serving on port"))
                .anySatisfy(line -> assertThat(line).startsWith("shutdown /" + controller.namespace()));
        for (ILoggingEvent event : events) {
            String text = event.getFormattedMessage() + " " + event.getLoggerName()
                    + (event.getThrowableProxy() == null ? "" : " " + event.getThrowableProxy().getMessage());
            assertThat(text).doesNotContain(controller.token());
        }
        System.out.println("[security] " + events.size() + " log events captured, none holds the token");
    }

    private java.util.concurrent.CompletableFuture<HttpResponse<InputStream>> follow() {
        return controller.http().sendAsync(controller.authorized("/api/v1/logs?service=sleeper&follow=true").GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
    }

    private static String readAll(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }

    private static void close(InputStream in) {
        try {
            in.close();
        } catch (java.io.IOException ignored) {
            // closing is all that is wanted
        }
    }

    private static HttpRequest.Builder withCredentials(HttpRequest.Builder request, String credentials) {
        return credentials == null ? request : request.header("Authorization", credentials);
    }

    private static Logger ours() {
        return (Logger) LoggerFactory.getLogger("org.ailtire");
    }

    private static Logger root() {
        return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }
}
