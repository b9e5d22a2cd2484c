package org.ailtire.api;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A Server-Sent Events response: events may be sent from any thread (they are written on the request's
 * context), a comment line keeps an idle stream open, and close hooks run once when either side ends it.
 *
 * <p>At most {@link #MAX_IN_FLIGHT} events are on their way (queued or not yet written to the socket) at once, so a
 * slow reader cannot grow the controller's memory. {@link #send} never waits: beyond that it drops the event;
 * {@link #sendWaiting} (for a source that may block, such as a followed log) waits for the reader first. Dropped
 * events are counted and told to the reader in a comment line once it catches up.
 */
final class EventStream {
    static final int MAX_IN_FLIGHT = 256;
    static final Duration MAX_WAIT = Duration.ofSeconds(10);

    private final Vertx vertx;
    private final Context context;
    private final HttpServerResponse response;
    private final List<Runnable> closeHooks = new CopyOnWriteArrayList<>();
    private final Duration keepAlive;
    private final Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
    private final AtomicLong dropped = new AtomicLong();
    private long keepAliveTimer = -1;
    private volatile boolean closed;

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

    /** Sends one event, or drops it when the reader is {@link #MAX_IN_FLIGHT} events behind; {@code data}: one line. */
    void send(String event, String data) {
        if (inFlight.tryAcquire()) {
            write(event, data);
        } else {
            dropped.incrementAndGet();
        }
    }

    /**
     * Sends one event, waiting up to {@link #MAX_WAIT} while the reader is {@link #MAX_IN_FLIGHT} events behind (the
     * calling source is held back meanwhile), then dropping it. Never waits on an event loop.
     */
    void sendWaiting(String event, String data) {
        if (Context.isOnEventLoopThread()) {
            send(event, data);
            return;
        }
        try {
            if (!closed && inFlight.tryAcquire(MAX_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                write(event, data);
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        dropped.incrementAndGet();
    }

    long dropped() {
        return dropped.get();
    }

    private void write(String event, String data) {
        context.runOnContext(v -> {
            if (closed) {
                inFlight.release();
                return;
            }
            long lost = dropped.getAndSet(0);
            if (lost > 0) {
                response.write(": " + lost + " events dropped: the reader was too slow\n\n");
            }
            response.write("event: " + event + "\ndata: " + data + "\n\n").onComplete(written -> inFlight.release());
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
        // Sources waiting for the reader give up now.
        inFlight.release(MAX_IN_FLIGHT);
        if (keepAliveTimer >= 0) {
            vertx.cancelTimer(keepAliveTimer);
        }
        closeHooks.forEach(Runnable::run);
    }
}
