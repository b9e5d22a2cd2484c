package org.ailtire.protocol;

import org.ailtire.stack.Json;
import org.ailtire.stack.LogLine;
import org.ailtire.stack.LogRequest;
import org.ailtire.stack.Registration;
import org.ailtire.stack.Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The client against a stand-in controller on loopback: paths, headers, error mapping and event streams. */
class ControlPlaneClientTest {
    private static final Instant AT = Instant.parse("2026-12-01T10:00:00Z");
    private final ProtocolServer server;
    private final ControlPlaneConnections connections =
            new ControlPlaneConnections("tester", Duration.ofSeconds(5), Duration.ofSeconds(10));

    ControlPlaneClientTest() throws Exception {
        server = new ProtocolServer();
    }

    @AfterEach
    void stop() {
        connections.close();
        server.close();
    }

    private ControlPlaneClient client() {
        return connections.to(server.url(), "secret");
    }

    private static String statusJson(Status.State state) throws Exception {
        return Json.MAPPER.writeValueAsString(Status.stack("shop", state, "", null, AT, List.of()));
    }

    @Test
    void everyCallCarriesTheTokenAndTheActor() throws Exception {
        server.answer("GET /api/v1/status", ProtocolServer.Answer.json(200, statusJson(Status.State.RUNNING)));
        assertThat(client().status().state()).isEqualTo(Status.State.RUNNING);
        assertThat(client().statusAsync().get(10, TimeUnit.SECONDS).state()).isEqualTo(Status.State.RUNNING);
        assertThat(server.received).hasSize(2).allSatisfy(request -> {
            assertThat(request.header("Authorization")).isEqualTo("Bearer secret");
            assertThat(request.header("X-Ailtire-Actor")).isEqualTo("tester");
        });
    }

    @Test
    void withoutAnActorNoActorHeaderIsSent() throws Exception {
        server.answer("POST /api/v1/register", ProtocolServer.Answer.json(201, ""));
        try (ControlPlaneConnections anonymous = new ControlPlaneConnections(null, Duration.ofSeconds(5),
                Duration.ofSeconds(10))) {
            anonymous.to(server.url(), "secret").register(new Registration("shop", "http://shop:3000", "top_shop"));
        }
        assertThat(server.received.get(0).header("X-Ailtire-Actor")).isNull();
    }

    @Test
    void aChildRegistersAndReportsOnItsOwnPaths() throws Exception {
        server.answer("POST /api/v1/register", ProtocolServer.Answer.json(201, "{}"))
                .answer("POST /api/v1/children/shop/report", ProtocolServer.Answer.json(204, ""));
        client().register(new Registration("shop", "http://shop:3000", "top_shop"));
        client().report("shop", Status.stack("shop", Status.State.RUNNING, "", null, AT, List.of()));

        assertThat(server.received).extracting(ProtocolServer.Received::pathAndQuery)
                .containsExactly("/api/v1/register", "/api/v1/children/shop/report");
        assertThat(Json.MAPPER.readTree(server.received.get(0).body()))
                .isEqualTo(Json.MAPPER.readTree("{\"name\":\"shop\",\"url\":\"http://shop:3000\",\"service\":\"top_shop\"}"));
        assertThat(Json.MAPPER.readValue(server.received.get(1).body(), Status.class).state())
                .isEqualTo(Status.State.RUNNING);
        assertThat(server.received.get(1).header("Content-Type")).isEqualTo("application/json");
    }

    @Test
    void aRejectedTokenSaysSo() {
        server.answer("GET /api/v1/status", ProtocolServer.Answer.json(401, "{\"error\":\"missing or invalid token\"}"));
        assertThatThrownBy(() -> client().status())
                .isInstanceOfSatisfying(ControlPlaneException.class, e -> assertThat(e.status()).isEqualTo(401))
                .hasMessage("token rejected: missing or invalid token");
    }

    @Test
    void aProblemBodyBecomesTheErrorAndItsDetails() {
        server.answer("POST /api/v1/rollback", ProtocolServer.Answer.json(400, """
                {"error":"invalid definition","details":["a text",
                 {"severity":"ERROR","path":"services.web.image","message":"required"},
                 {"severity":"WARNING","path":"","message":"unused variable"}]}"""));
        assertThatThrownBy(() -> client().rollback(3))
                .isInstanceOfSatisfying(ControlPlaneException.class, e -> {
                    assertThat(e.error()).isEqualTo("invalid definition");
                    assertThat(e.details()).containsExactly("a text", "services.web.image: required",
                            "unused variable (warning)");
                })
                .hasMessage("invalid definition (HTTP 400)");
    }

    @Test
    void anAnswerThatIsNotJsonIsTheErrorItself() {
        server.answer("POST /api/v1/shutdown", new ProtocolServer.Answer(502, "text/plain", List.of("bad gateway\n")));
        assertThatThrownBy(() -> client().shutdown()).hasMessage("bad gateway (HTTP 502)");
        assertThat(client().shutdownAsync()).failsWithin(Duration.ofSeconds(10))
                .withThrowableOfType(ExecutionException.class).havingCause()
                .isInstanceOfSatisfying(ControlPlaneException.class, e -> assertThat(e.status()).isEqualTo(502));
    }

    @Test
    void aControllerNobodyListensForIsUnreachableSyncAndAsync() throws Exception {
        int free;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            free = socket.getLocalPort();
        }
        ControlPlaneClient nobody = connections.to(URI.create("http://127.0.0.1:" + free), "secret");
        assertThatThrownBy(nobody::status).isInstanceOf(ControllerUnreachableException.class)
                .hasMessageContaining("cannot reach the controller at http://127.0.0.1:" + free + ": connection refused");
        assertThat(nobody.statusAsync()).failsWithin(Duration.ofSeconds(10))
                .withThrowableOfType(ExecutionException.class).havingCause()
                .isInstanceOf(ControllerUnreachableException.class);
    }

    @Test
    void statusEventsAreReadAsServerSentEvents() throws Exception {
        String running = statusJson(Status.State.RUNNING);
        String stopped = statusJson(Status.State.STOPPED);
        server.answer("GET /api/v1/status/events", ProtocolServer.Answer.stream("text/event-stream",
                ": hello\n\n", "event: status\ndata: " + running + "\n\n", "event: other\ndata: {}\n\n",
                "event: status\ndata: " + stopped + "\n\n"));
        try (EventSubscription<Status> events = client().statusEvents()) {
            assertThat(events.next().state()).isEqualTo(Status.State.RUNNING);
            assertThat(events.next().state()).isEqualTo(Status.State.STOPPED);
            assertThat(events.next()).as("the stream ended").isNull();
        }
        assertThat(server.received.get(0).header("Accept")).isEqualTo("text/event-stream");
    }

    @Test
    void logsArePastLinesOrAFollowedStreamEndingWithItsReason() throws Exception {
        String line = Json.MAPPER.writeValueAsString(new LogLine("web", LogLine.Stream.STDOUT, AT, "hello"));
        server.answer("GET /api/v1/logs", ProtocolServer.Answer.stream("application/x-ndjson", line + "\n", "\n",
                line + "\n"));
        LogSelection selection = new LogSelection(Optional.of("backend/db"), OptionalInt.of(5), Optional.of(AT),
                LogRequest.Streams.STDERR);
        List<LogLine> lines = new ArrayList<>();
        client().logs(selection, lines::add);
        assertThat(lines).extracting(LogLine::text).containsExactly("hello", "hello");
        assertThat(server.received.get(0).pathAndQuery()).isEqualTo("/api/v1/logs?service=backend%2Fdb&tail=5"
                + "&since=2026-12-01T10%3A00%3A00Z&stream=stderr&follow=false");

        server.answer("GET /api/v1/logs", ProtocolServer.Answer.stream("text/event-stream",
                "event: log\ndata: " + line + "\n\n", "event: end\ndata: {\"error\":\"engine gone\"}\n\n"));
        try (EventSubscription<LogFeed> feed = client().followLogsAsync(LogSelection.all()).get(10, TimeUnit.SECONDS)) {
            assertThat(feed.next()).isInstanceOfSatisfying(LogFeed.Line.class,
                    l -> assertThat(l.line().text()).isEqualTo("hello"));
            assertThat(feed.next()).isEqualTo(new LogFeed.End("engine gone"));
        }
        assertThat(server.received.get(1).pathAndQuery()).endsWith("follow=true");
    }
}
