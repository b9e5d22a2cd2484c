package org.ailtire.api;

import io.vertx.ext.web.RoutingContext;
import org.ailtire.stack.LogLine;
import org.ailtire.stack.LogRequest;
import org.ailtire.stack.LogSink;
import org.ailtire.stack.NoSuchServiceException;
import org.ailtire.stack.Stack;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** {@code /api/v1/logs}: JSON lines, or Server-Sent Events when following; follows are bounded. */
final class LogApi {
    private static final Logger LOG = LoggerFactory.getLogger(LogApi.class);
    private final Stack stack;
    private final ServerSettings settings;
    private final AtomicInteger follows = new AtomicInteger();
    private final AtomicInteger followsOpen = new AtomicInteger();

    /** Followed logs streaming now (each may hold several engine streams), for the metrics. */
    int openFollows() {
        return followsOpen.get();
    }

    LogApi(Stack stack, ServerSettings settings) {
        this.stack = stack;
        this.settings = settings;
    }

    void handle(RoutingContext ctx) {
        LogRequest request;
        try {
            request = LogQuery.parse(ctx.queryParams());
        } catch (InvalidRequest e) {
            ApiError.send(ctx, 400, "invalid log request", e.problems);
            return;
        }
        if (request.follow()) {
            follow(ctx, request);
        } else {
            lines(ctx, request);
        }
    }

    private void lines(RoutingContext ctx, LogRequest request) {
        var context = ctx.vertx().getOrCreateContext();
        var response = ctx.response();
        boolean[] started = {false};
        try {
            stack.log(request, new LogSink() {
                @Override
                public void line(LogLine line) {
                    String json = ApiError.encode(line) + "\n";
                    context.runOnContext(v -> {
                        if (!started[0]) {
                            started[0] = true;
                            response.setChunked(true).putHeader("Content-Type", "application/x-ndjson");
                        }
                        if (!response.ended()) {
                            response.write(json);
                        }
                    });
                }

                @Override
                public void end(Throwable failure) {
                    context.runOnContext(v -> {
                        if (response.ended()) {
                            return;
                        }
                        if (!started[0] && failure != null) {
                            ApiError.send(ctx, 502, "reading logs failed: " + failure.getMessage());
                        } else {
                            if (!started[0]) {
                                response.putHeader("Content-Type", "application/x-ndjson");
                            }
                            response.end();
                        }
                    });
                }
            });
        } catch (NoSuchServiceException e) {
            ApiError.send(ctx, 404, e.getMessage());
        }
    }

    private void follow(RoutingContext ctx, LogRequest request) {
        // Counted in the streams the follow opens (one per service, one per child stack); a follow of more streams
        // than the limit may run when it is alone.
        int streams = Math.min(Math.max(1, stack.logStreams(request)), settings.maxFollows());
        if (follows.addAndGet(streams) > settings.maxFollows()) {
            follows.addAndGet(-streams);
            ApiError.send(ctx, 429, "too many log streams followed at once (limit " + settings.maxFollows()
                    + "); this follow opens " + streams + " engine stream" + (streams == 1 ? "" : "s"));
            return;
        }
        EventStream events = new EventStream(ctx, settings.keepAlive());
        AutoCloseable source;
        try {
            source = stack.log(request, new LogSink() {
                @Override
                public void line(LogLine line) {
                    events.sendWaiting("log", ApiError.encode(line));
                }

                @Override
                public void end(Throwable failure) {
                    events.send("end", ApiError.encode(Map.of("error",
                            failure == null ? "" : String.valueOf(failure.getMessage()))));
                    events.end();
                }
            });
        } catch (NoSuchServiceException e) {
            follows.addAndGet(-streams);
            events.abandon();
            ApiError.send(ctx, 404, e.getMessage());
            return;
        }
        events.start();
        followsOpen.incrementAndGet();
        events.onClose(() -> {
            followsOpen.decrementAndGet();
            follows.addAndGet(-streams);
            try {
                source.close();
            } catch (Exception e) {
                LOG.warn("closing a followed log stream failed", e);
            }
        });
    }
}
