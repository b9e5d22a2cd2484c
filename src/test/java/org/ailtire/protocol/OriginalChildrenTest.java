package org.ailtire.protocol;

import org.ailtire.stack.ChildRegistry;
import org.ailtire.stack.Json;
import org.ailtire.stack.LogLine;
import org.ailtire.stack.LogRequest;
import org.ailtire.stack.LogSink;
import org.ailtire.stack.NoSuchServiceException;
import org.ailtire.stack.Registration;
import org.ailtire.stack.Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A parent's side of an original child stack against a stand-in original (JDK HttpServer on loopback) answering the
 * original's documents: a three-level document read into our tree, polls as heartbeats, logs by task key, shutdown.
 */
class OriginalChildrenTest {
    /** A middle original (stack demo_middle-1) whose child, ours in compatibility mode, runs echo. */
    static final String DOCUMENT = """
            {"service": "demo_middle-1", "interfaces": {},
             "services": {
               "demo_middle-1_web-1": {"name": "demo_middle-1_web.1", "shortName": "web", "image": "busybox",
                 "node": "n1", "desired": "Running", "status": "Running", "line": "abc demo_middle-1_web.1 busybox"},
               "demo_middle-1_bottom-1": {"name": "demo_middle-1_bottom-1", "shortName": "bottom",
                 "image": "ailtire/controller:local", "node": "n1", "desired": "Running", "status": "Running",
                 "line": "def", "type": "stack",
                 "services": {"service": "demo_middle-1_bottom-1", "interfaces": {},
                   "services": {
                     "demo_middle-1_bottom-1_echo-1": {"name": "demo_middle-1_bottom-1_echo.1", "shortName": "echo",
                       "image": "busybox", "node": "n1", "desired": "Running", "status": "Running", "line": "ghi"},
                     "demo_middle-1_bottom-1_job-1": {"name": "demo_middle-1_bottom-1_job.1", "shortName": "job",
                       "image": "busybox", "node": "n1", "desired": "Running", "status": "Failed", "line": "jkl"}}}},
               "demo_middle-1_gone-1": {"name": "gone", "type": "stack", "status": "Network Error",
                 "line": {"code": "ECONNREFUSED"}}}}
            """;

    private final ChildRegistry registry = new ChildRegistry(Clock.systemUTC(), Duration.ofSeconds(3), 3);
    private ProtocolServer original;
    private OriginalChildren children;
    private Registration middle;

    @BeforeEach
    void start() throws Exception {
        original = new ProtocolServer();
        original.answer("GET /_admin/status", ProtocolServer.Answer.json(200, DOCUMENT));
        children = new OriginalChildren(registry, new OriginalSidecarClient(Duration.ofSeconds(2)),
                Duration.ofHours(1), Clock.systemUTC());
        middle = Registration.original("middle", original.url().toString(), "middle");
        registry.register(middle);
    }

    @AfterEach
    void stop() {
        children.close();
        original.close();
        registry.close();
    }

    @Test
    void theOriginalsDocumentIsItsStatusTreeToAnyDepth() throws Exception {
        Status tree = OriginalStatusTree.toStatus("middle", "http://middle:3000", Json.MAPPER.readTree(DOCUMENT),
                Instant.EPOCH);
        assertThat(tree.type()).isEqualTo(Status.Type.STACK);
        assertThat(tree.children()).extracting(Status::name).containsExactly("web-1", "bottom-1", "gone-1");
        assertThat(tree.children().get(0)).satisfies(web -> {
            assertThat(web.type()).isEqualTo(Status.Type.SERVICE);
            assertThat(web.state()).isEqualTo(Status.State.RUNNING);
            assertThat(web.message()).isEqualTo("abc demo_middle-1_web.1 busybox");
        });
        Status bottom = tree.children().get(1);
        assertThat(bottom.type()).isEqualTo(Status.Type.STACK);
        assertThat(bottom.children()).extracting(Status::name, Status::state).containsExactly(
                org.assertj.core.groups.Tuple.tuple("echo-1", Status.State.RUNNING),
                org.assertj.core.groups.Tuple.tuple("job-1", Status.State.FAILED));
        assertThat(tree.children().get(2)).satisfies(gone -> {
            assertThat(gone.state()).isEqualTo(Status.State.UNREACHABLE);
            assertThat(gone.message()).isEqualTo("Network Error: {\"code\":\"ECONNREFUSED\"}");
        });
        assertThat(OriginalStatusTree.namespaces(Json.MAPPER.readTree(DOCUMENT)))
                .containsExactly("demo_middle-1", "demo_middle-1_bottom-1");
        assertThat(OriginalStatusTree.tasks(Json.MAPPER.readTree(DOCUMENT))).containsExactly(
                java.util.Map.entry("web-1", "demo_middle-1_web-1"),
                java.util.Map.entry("bottom-1/echo-1", "demo_middle-1_bottom-1_echo-1"),
                java.util.Map.entry("bottom-1/job-1", "demo_middle-1_bottom-1_job-1"));
    }

    @Test
    void theCLIsWordsAreOurStates() {
        assertThat(OriginalStatusTree.state("Running")).isEqualTo(Status.State.RUNNING);
        assertThat(OriginalStatusTree.state("Preparing")).isEqualTo(Status.State.STARTING);
        assertThat(OriginalStatusTree.state("Shutdown")).isEqualTo(Status.State.STOPPED);
        assertThat(OriginalStatusTree.state("Rejected")).isEqualTo(Status.State.FAILED);
        assertThat(OriginalStatusTree.state("Complete")).isEqualTo(Status.State.COMPLETED);
        assertThat(OriginalStatusTree.state("Network Error")).isEqualTo(Status.State.UNREACHABLE);
    }

    @Test
    void aPollIsTheHeartbeatAndAFailedOneMarksTheChildUnreachable() throws Exception {
        children.pollAll();
        ChildRegistry.Child polled = registry.find("middle").orElseThrow();
        assertThat(polled.reachable()).isTrue();
        assertThat(polled.status().name()).isEqualTo("middle");
        assertThat(polled.status().children()).extracting(Status::name).containsExactly("web-1", "bottom-1", "gone-1");
        assertThat(children.namespaces("middle")).containsExactly("demo_middle-1", "demo_middle-1_bottom-1");
        assertThat(original.received).extracting(ProtocolServer.Received::pathAndQuery).containsExactly("/_admin/status");

        original.answer("GET /_admin/status", ProtocolServer.Answer.json(500, "docker stack ps failed"));
        children.pollAll();
        ChildRegistry.Child failed = registry.find("middle").orElseThrow();
        assertThat(failed.reachable()).isFalse();
        assertThat(failed.status().message()).startsWith("Network Error: ").contains("500");
        assertThat(children.namespaces("middle")).as("what it told last").hasSize(2);
    }

    @Test
    void ourChildrenAreNotPolled() throws Exception {
        registry.register(new Registration("ours", "http://127.0.0.1:1", "ours"));
        children.pollAll();
        assertThat(original.received).hasSize(1);
        assertThat(registry.find("ours").orElseThrow().status().state()).isEqualTo(Status.State.STARTING);
    }

    @Test
    void aServiceBelowTheChildIsReadByTheTaskKeyItsDocumentNames() throws Exception {
        original.answer("GET /_admin/log", ProtocolServer.Answer.json(200,
                "{\"stdout\": [\"one\", \"two\", \"three\"], \"stderr\": [\"oops\"]}"));
        children.pollAll();
        Collected lines = read(new LogRequest(Optional.of("bottom-1/echo"), 2, Optional.empty(),
                LogRequest.Streams.BOTH, false));
        assertThat(lines.failure.get(5, TimeUnit.SECONDS)).isNull();
        assertThat(lines.lines).extracting(LogLine::service, LogLine::stream, LogLine::text).containsExactly(
                org.assertj.core.groups.Tuple.tuple("middle/bottom-1/echo", LogLine.Stream.STDOUT, "two"),
                org.assertj.core.groups.Tuple.tuple("middle/bottom-1/echo", LogLine.Stream.STDOUT, "three"),
                org.assertj.core.groups.Tuple.tuple("middle/bottom-1/echo", LogLine.Stream.STDERR, "oops"));
        assertThat(original.received.get(original.received.size() - 1).pathAndQuery())
                .isEqualTo("/_admin/log?name=demo_middle-1_bottom-1_echo-1");

        Collected unknown = read(new LogRequest(Optional.of("bottom-1/nope"), 10, Optional.empty(),
                LogRequest.Streams.BOTH, false));
        assertThat(unknown.failure.get(5, TimeUnit.SECONDS)).isInstanceOf(NoSuchServiceException.class);
    }

    @Test
    void shutdownIsTheOriginalsGetAndFailsWhenItRefuses() throws Exception {
        original.answer("GET /_admin/shutdown", new ProtocolServer.Answer(200, "text/plain",
                List.of("Removing service demo_middle-1_web\n")));
        assertThat(new ChildProtocols(child -> CompletableFuture.failedFuture(new AssertionError("ours")),
                (child, request, sink) -> () -> { }, children).shutdown(middle).get(5, TimeUnit.SECONDS)).isNull();
        assertThat(original.received).extracting(ProtocolServer.Received::pathAndQuery).contains("/_admin/shutdown");

        original.answer("GET /_admin/shutdown", ProtocolServer.Answer.json(500, "no"));
        assertThatThrownBy(() -> children.shutdown(middle).get(5, TimeUnit.SECONDS)).hasMessageContaining("500");
    }

    private record Collected(List<LogLine> lines, CompletableFuture<Throwable> failure) {
    }

    private Collected read(LogRequest request) {
        Collected collected = new Collected(new CopyOnWriteArrayList<>(), new CompletableFuture<>());
        children.forward(middle, request, new LogSink() {
            @Override
            public void line(LogLine line) {
                collected.lines.add(line);
            }

            @Override
            public void end(Throwable failure) {
                collected.failure.complete(failure);
            }
        });
        return collected;
    }
}
