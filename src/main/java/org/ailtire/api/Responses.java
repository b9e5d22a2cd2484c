package org.ailtire.api;

import io.vertx.ext.web.RoutingContext;

final class Responses {
    private Responses() {
    }

    static void json(RoutingContext ctx, int status, Object body) {
        ctx.response()
                .setStatusCode(status)
                .putHeader("Content-Type", "application/json")
                .putHeader("Cache-Control", "no-store")
                .end(ApiError.encode(body));
    }
}
