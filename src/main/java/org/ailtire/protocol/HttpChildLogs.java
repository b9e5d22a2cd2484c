package org.ailtire.protocol;

import org.ailtire.stack.ChildLogs;
import org.ailtire.stack.LogLine;
import org.ailtire.stack.LogRequest;
import org.ailtire.stack.LogSink;
import org.ailtire.stack.NoSuchServiceException;
import org.ailtire.stack.Registration;
import org.ailtire.stack.StackToken;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;

/**
 * Reads a child stack's logs from its controller's {@code GET /api/v1/logs} (JSON lines, or Server-Sent Events
 * when following) and hands them on with the child's name in front of the service, e.g. {@code backend/db}.
 */
public final class HttpChildLogs implements ChildLogs {
    private final ControlPlaneConnections connections =
            new ControlPlaneConnections(null, Duration.ofSeconds(5), Duration.ofSeconds(10));
    private final StackToken token;

    /** @param token this stack's token; each child is called with the one derived for it */
    public HttpChildLogs(StackToken token) {
        this.token = token;
    }

    /** Past lines, or (following) log events; a followed stream's end event is not a line. */
    private interface Lines extends AutoCloseable {
        LogLine next() throws IOException;

        @Override
        void close();
    }

    @Override
    public AutoCloseable forward(Registration child, LogRequest request, LogSink sink) {
        ControlPlaneClient client = connections.to(URI.create(child.url()), token.child(child.name()).value());
        LogSelection selection = new LogSelection(request.service(), OptionalInt.of(request.tail()), request.since(),
                request.streams());
        CompletableFuture<Lines> opened = request.follow()
                ? client.followLogsAsync(selection).thenApply(HttpChildLogs::lines)
                : client.logsAsync(selection).thenApply(lines -> new Lines() {
                    @Override
                    public LogLine next() throws IOException {
                        return lines.next();
                    }

                    @Override
                    public void close() {
                        lines.close();
                    }
                });
        opened.whenComplete((lines, failure) -> {
            if (failure != null) {
                sink.end(failed(child, request, ControlPlaneClient.unwrap(failure)));
                return;
            }
            try (lines) {
                LogLine line;
                while ((line = lines.next()) != null) {
                    sink.line(new LogLine(child.name() + "/" + line.service(), line.stream(), line.at(), line.text()));
                }
                sink.end(null);
            } catch (com.fasterxml.jackson.core.JacksonException e) {
                sink.end(new IllegalStateException("unreadable log line from child stack " + child.name() + ": "
                        + e.getMessage(), e));
            } catch (IOException | RuntimeException e) {
                sink.end(e);
            }
        });
        return () -> opened.thenAccept(Lines::close).cancel(true);
    }

    private static Lines lines(EventSubscription<LogFeed> feed) {
        return new Lines() {
            @Override
            public LogLine next() throws IOException {
                LogFeed next = feed.next();
                return next instanceof LogFeed.Line line ? line.line() : null;
            }

            @Override
            public void close() {
                feed.close();
            }
        };
    }

    private static Throwable failed(Registration child, LogRequest request, Throwable failure) {
        if (failure instanceof ControlPlaneException answered) {
            return answered.status() == 404
                    ? new NoSuchServiceException(child.name() + "/" + request.service().orElse(""))
                    : new IllegalStateException("child stack " + child.name() + " answered " + answered.status());
        }
        // Unreachable: the transport's own failure, as the stack has always reported it.
        return failure instanceof ControllerUnreachableException && failure.getCause() != null
                ? failure.getCause() : failure;
    }
}
