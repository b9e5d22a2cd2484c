package org.ailtire.api;

import io.vertx.ext.web.RoutingContext;
import org.ailtire.stack.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/** The one error shape of the API: {@code {"error": "...", "details": [...]}}. */
final class ApiError {
    private ApiError() {
    }

    static void send(RoutingContext ctx, int status, String error, List<?> details) {
        if (ctx.response().ended() || ctx.response().headWritten()) {
            return;
        }
        Responses.json(ctx, status, Map.of("error", error, "details", details));
    }

    static void send(RoutingContext ctx, int status, String error) {
        send(ctx, status, error, List.of());
    }

    static String encode(Object value) {
        try {
            return Json.MAPPER.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
