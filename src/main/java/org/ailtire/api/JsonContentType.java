package org.ailtire.api;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

import java.util.Locale;

/**
 * Lets a request with a body through only when it says the body is JSON ({@code Content-Type: application/json},
 * parameters such as a charset allowed). A form or text/plain body is refused with 415 before it is read, so a
 * browser's simple cross-site request never gets as far as a parser.
 */
final class JsonContentType implements Handler<RoutingContext> {
    static final String JSON = "application/json";

    @Override
    public void handle(RoutingContext ctx) {
        String header = ctx.request().getHeader("Content-Type");
        String mediaType = header == null ? "" : header.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        if (mediaType.equals(JSON)) {
            ctx.next();
        } else {
            ApiError.send(ctx, 415, "Content-Type must be " + JSON + ", got "
                    + (header == null ? "none" : '"' + printable(header) + '"'));
        }
    }

    /** The header as it can be echoed safely: control characters shown as '?', at most 100 characters. */
    private static String printable(String header) {
        String shown = header.length() > 100 ? header.substring(0, 100) + "..." : header;
        return shown.codePoints().map(c -> Character.isISOControl(c) ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
    }
}
