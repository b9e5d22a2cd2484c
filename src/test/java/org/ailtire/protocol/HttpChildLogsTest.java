package org.ailtire.protocol;

import org.ailtire.stack.Json;
import org.ailtire.stack.LogLine;
import org.ailtire.stack.LogRequest;
import org.ailtire.stack.LogSink;
import org.ailtire.stack.NoSuchServiceException;
import org.ailtire.stack.Registration;
import org.ailtire.stack.StackToken;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** A parent reading a child's logs, against a stand-in for the child's controller on loopback. */
class HttpChildLogsTest {
    private static final StackToken PARENT = StackToken.of("0123456789abcdef0123456789abcdef");
    private static final Instant AT = Instant.parse("2026-12-01T10:00:00Z");
    private final ProtocolServer child;
    private final Registration shop;

    HttpChildLogsTest() throws Exception {
        child = new ProtocolServer();
        shop = new Registration("shop", child.url().toString(), "top_shop");
    }

    @AfterEach
    void stop() {
        child.close();
    }

    /** What a sink was handed: the lines, then how the logs ended. */
    private static final class Collected implements LogSink {
        final List<LogLine> lines = new CopyOnWriteArrayList<>();
        final CompletableFuture<Throwable> ended = new CompletableFuture<>();

        @Override
        public void line(LogLine line) {
            lines.add(line);
        }

        @Override
        public void end(Throwable failure) {
            ended.complete(failure);
        }
    }

    private Collected read(boolean follow) throws Exception {
        Collected sink = new Collected();
        LogRequest request = new LogRequest(Optional.of("web"), 10, Optional.empty(), LogRequest.Streams.BOTH, follow);
        new HttpChildLogs(PARENT).forward(shop, request, sink);
        assertThat(sink.ended).succeedsWithin(Duration.ofSeconds(10));
        return sink;
    }

    private static String line(String text) throws Exception {
        return Json.MAPPER.writeValueAsString(new LogLine("web", LogLine.Stream.STDOUT, AT, text));
    }

    @Test
    void pastLinesComeWithTheChildsNameInFrontOfTheService() throws Exception {
        child.answer("GET /api/v1/logs", ProtocolServer.Answer.stream("application/x-ndjson",
                line("one") + "\n", line("two") + "\n"));
        Collected sink = read(false);
        assertThat(sink.ended.get()).isNull();
        assertThat(sink.lines).extracting(LogLine::service, LogLine::text)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("shop/web", "one"),
                        org.assertj.core.groups.Tuple.tuple("shop/web", "two"));
        ProtocolServer.Received sent = child.received.get(0);
        assertThat(sent.header("Authorization")).isEqualTo("Bearer " + PARENT.child("shop").value());
        assertThat(sent.pathAndQuery()).isEqualTo("/api/v1/logs?service=web&tail=10&stream=both&follow=false");
    }

    @Test
    void aFollowedStreamIsReadAsServerSentEventsUpToItsEnd() throws Exception {
        child.answer("GET /api/v1/logs", ProtocolServer.Answer.stream("text/event-stream",
                ": opened\n\n", "event: log\ndata: " + line("one") + "\n\n",
                "event: log\ndata: " + line("two") + "\n\n", "event: end\ndata: {}\n\n"));
        Collected sink = read(true);
        assertThat(sink.ended.get()).isNull();
        assertThat(sink.lines).extracting(LogLine::text).containsExactly("one", "two");
        assertThat(sink.lines).extracting(LogLine::service).containsOnly("shop/web");
        assertThat(child.received.get(0).header("Accept")).isEqualTo("text/event-stream");
    }

    @Test
    void anUnknownServiceAndARefusalEndTheLogsWithWhy() throws Exception {
        child.answer("GET /api/v1/logs", ProtocolServer.Answer.json(404, "{\"error\":\"no service web\"}"));
        assertThat(read(false).ended.get()).isInstanceOf(NoSuchServiceException.class);
        child.answer("GET /api/v1/logs", ProtocolServer.Answer.json(401, "{\"error\":\"missing or invalid token\"}"));
        assertThat(read(true).ended.get()).isInstanceOf(IllegalStateException.class)
                .hasMessage("child stack shop answered 401");
    }

    @Test
    void anUnreadableLineEndsTheLogsNamingTheChild() throws Exception {
        child.answer("GET /api/v1/logs", ProtocolServer.Answer.stream("application/x-ndjson", "{not json\n"));
        assertThat(read(false).ended.get()).isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("unreadable log line from child stack shop");
    }
}
