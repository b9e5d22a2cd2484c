package org.ailtire.api;

import io.vertx.ext.web.RoutingContext;
import org.ailtire.stack.Stack;
import org.ailtire.stack.Status;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;

/**
 * {@code /api/v1/status} (and its event stream), the original sidecar's {@code /_admin/status}, and
 * {@code /api/v1/shutdown}, which the status then follows.
 */
final class StatusApi {
    /** How many status event streams may be open at once (429 beyond). */
    static final int MAX_SUBSCRIBERS = 64;
    private static final Logger LOG = LoggerFactory.getLogger(StatusApi.class);
    private final StreamCap subscribers = new StreamCap("status streams", MAX_SUBSCRIBERS);

    /** Status event streams open now, for the metrics. */
    int openStreams() {
        return subscribers.open();
    }
    private final Stack stack;
    private final ServerSettings settings;

    StatusApi(Stack stack, ServerSettings settings) {
        this.stack = stack;
        this.settings = settings;
    }

    void status(RoutingContext ctx) {
        Responses.json(ctx, 200, stack.status());
    }

    void compatStatus(RoutingContext ctx) {
        Responses.json(ctx, 200, CompatStatus.of(stack.status()));
    }

    void events(RoutingContext ctx) {
        if (!subscribers.tryOpen(ctx)) {
            return;
        }
        EventStream events = EventStream.open(ctx, settings.keepAlive());
        Runnable unsubscribe = stack.watch(status -> events.send("status", ApiError.encode(status)));
        events.onClose(() -> {
            subscribers.closed();
            unsubscribe.run();
        });
    }

    void shutdown(RoutingContext ctx) {
        stack.shutdown(Actor.of(ctx)).whenComplete((ok, failure) -> {
            if (failure != null) {
                LOG.error("shutdown of {} failed", stack.name(), failure);
            }
        });
        Responses.json(ctx, 202, Map.of("state", Status.State.STOPPING, "status", ControlPlane.BASE + "/status"));
    }
}
