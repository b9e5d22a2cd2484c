package org.ailtire.api;

import io.vertx.ext.web.RoutingContext;

import java.util.concurrent.atomic.AtomicInteger;

/** How many event streams of one kind may be open at once: one more is refused with 429 and the limit. */
final class StreamCap {
    private final String what;
    private final int limit;
    private final AtomicInteger open = new AtomicInteger();

    /** @param what the streams' name in the refusal, e.g. {@code status streams} */
    StreamCap(String what, int limit) {
        this.what = what;
        this.limit = limit;
    }

    /**
     * Counts one more stream, or answers 429 when {@code limit} are open already.
     *
     * @return whether the stream may open; if so, {@link #closed()} must follow when it ends
     */
    boolean tryOpen(RoutingContext ctx) {
        if (open.incrementAndGet() > limit) {
            open.decrementAndGet();
            ApiError.send(ctx, 429, "too many " + what + " open at once (limit " + limit + ")");
            return false;
        }
        return true;
    }

    void closed() {
        open.decrementAndGet();
    }

    /** How many are open now. */
    int open() {
        return open.get();
    }
}
