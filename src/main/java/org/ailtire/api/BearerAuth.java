package org.ailtire.api;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import org.ailtire.stack.StackToken;

/**
 * Lets a request through only with {@code Authorization: Bearer <token>} of this stack's own token (see
 * {@link StackToken#matches}: compared in constant time, its length hidden too). A child's token does not pass: the
 * routes a child calls have their own guard, {@link ChildAuth}.
 */
final class BearerAuth implements Handler<RoutingContext> {
    private static final String PREFIX = "Bearer ";
    private final StackToken expected;

    BearerAuth(StackToken token) {
        this.expected = token;
    }

    @Override
    public void handle(RoutingContext ctx) {
        if (expected.matches(presented(ctx, false))) {
            ctx.next();
        } else {
            refuse(ctx);
        }
    }

    static void refuse(RoutingContext ctx) {
        ctx.response().putHeader("WWW-Authenticate", "Bearer");
        ApiError.send(ctx, 401, "missing or wrong bearer token");
    }

    /** @param queryTokenAllowed also take {@code ?token=} (only for the Node.js-compatible register route) */
    static String presented(RoutingContext ctx, boolean queryTokenAllowed) {
        String header = ctx.request().getHeader("Authorization");
        if (header != null && header.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            return header.substring(PREFIX.length()).trim();
        }
        return queryTokenAllowed ? ctx.request().getParam("token") : null;
    }
}
