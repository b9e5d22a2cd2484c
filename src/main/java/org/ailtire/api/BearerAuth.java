package org.ailtire.api;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Lets a request through only with {@code Authorization: Bearer <token>}. Both sides are hashed first so the
 * constant-time comparison does not leak the token's length either.
 */
final class BearerAuth implements Handler<RoutingContext> {
    private static final String PREFIX = "Bearer ";
    private final byte[] expected;
    private final boolean queryTokenAllowed;

    /** @param queryTokenAllowed also accept {@code ?token=} (only for the Node.js-compatible register route) */
    BearerAuth(String token, boolean queryTokenAllowed) {
        this.expected = digest(token);
        this.queryTokenAllowed = queryTokenAllowed;
    }

    @Override
    public void handle(RoutingContext ctx) {
        if (accepts(presented(ctx))) {
            ctx.next();
        } else {
            ctx.response().putHeader("WWW-Authenticate", "Bearer");
            ApiError.send(ctx, 401, "missing or wrong bearer token");
        }
    }

    boolean accepts(String presented) {
        return presented != null && MessageDigest.isEqual(expected, digest(presented));
    }

    private String presented(RoutingContext ctx) {
        String header = ctx.request().getHeader("Authorization");
        if (header != null && header.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            return header.substring(PREFIX.length()).trim();
        }
        return queryTokenAllowed ? ctx.request().getParam("token") : null;
    }

    private static byte[] digest(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
