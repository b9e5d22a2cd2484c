package org.ailtire.api;

import io.vertx.ext.web.RoutingContext;
import org.ailtire.stack.StackToken;

/**
 * The guard of the routes a child stack calls on its parent (register, report): they take this stack's own token,
 * or the token derived for the child the request is about ({@link StackToken#child}), and no other child's. Which
 * child a request is about is only known once its name is read (from the path, the query or the body), so the
 * handlers ask {@link #mayActFor} then.
 */
final class ChildAuth {
    private final StackToken own;

    ChildAuth(StackToken own) {
        this.own = own;
    }

    /** Whether the request's bearer token is this stack's, or the one of its child {@code name}. */
    boolean mayActFor(RoutingContext ctx, String name, boolean queryTokenAllowed) {
        String presented = BearerAuth.presented(ctx, queryTokenAllowed);
        return presented != null && (own.matches(presented) || name != null && own.child(name).matches(presented));
    }

    /** A first check before the body is read: some bearer token at all. */
    void requireBearer(RoutingContext ctx, boolean queryTokenAllowed) {
        if (BearerAuth.presented(ctx, queryTokenAllowed) == null) {
            BearerAuth.refuse(ctx);
        } else {
            ctx.next();
        }
    }
}
