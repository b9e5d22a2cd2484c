package org.ailtire.api;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A Server-Sent Events response: events may be sent from any thread (they are written on the request's
 * context), a comment line keeps an idle stream open, and close hooks run once when either side ends it.
 */
final class EventStream {
    private final Vertx vertx;
    private final Context context;
    private final HttpServerResponse response;
    private final List<Runnable> closeHooks = new CopyOnWriteArrayList<>();
    private final Duration keepAlive;
    private long keepAliveTimer = -1;
    private boolean closed;

    /** Prepares a stream without answering yet: events sent before {@link #start()} wait for it. */
    EventStream(RoutingContext ctx, Duration keepAlive) {
        this.vertx = ctx.vertx();
        this.context = vertx.getOrCreateContext();
        this.response = ctx.response();
        this.keepAlive = keepAlive;
    }

    static EventStream open(RoutingContext ctx, Duration keepAlive) {
        EventStream stream = new EventStream(ctx, keepAlive);
        stream.start();
        return stream;
    }

    /** Answers 200 and opens the stream; call on the request's context. */
    void start() {
        response.setStatusCode(200)
                .setChunked(true)
                .putHeader("Content-Type", "text/event-stream")
                .putHeader("Cache-Control", "no-store")
                .putHeader("X-Accel-Buffering", "no");
        response.write(": stream open\n\n");
        keepAliveTimer = vertx.setPeriodic(keepAlive.toMillis(), id -> {
            if (!closed) {
                response.write(": keep-alive\n\n");
            }
        });
        response.closeHandler(v -> closed());
        response.endHandler(v -> closed());
    }

    /** Gives the stream up before it started (the request is answered otherwise); queued events are dropped. */
    void abandon() {
        closed = true;
    }

    void onClose(Runnable hook) {
        closeHooks.add(hook);
    }

    /** Sends one event; {@code data} must be a single line (JSON is). */
    void send(String event, String data) {
        context.runOnContext(v -> {
            if (!closed) {
                response.write("event: " + event + "\ndata: " + data + "\n\n");
            }
        });
    }

    void end() {
        context.runOnContext(v -> {
            if (!closed) {
                response.end();
            }
        });
    }

    private void closed() {
        if (closed) {
            return;
        }
        closed = true;
        if (keepAliveTimer >= 0) {
            vertx.cancelTimer(keepAliveTimer);
        }
        closeHooks.forEach(Runnable::run);
    }
}
