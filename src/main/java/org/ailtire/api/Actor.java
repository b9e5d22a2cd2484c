package org.ailtire.api;

import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;

/**
 * Who made a request, for the history and the events list: what the caller says it is ({@value #HEADER}, e.g. the
 * CLI's user@host or a parent stack's path) and the address it came from. Every caller holds this stack's token, so
 * the name is a label, not an identity; it is cut and cleaned so it cannot forge lines in logs or the console.
 */
final class Actor {
    static final String HEADER = "X-Ailtire-Actor";
    static final int MAX_LENGTH = 80;

    private Actor() {
    }

    static String of(RoutingContext ctx) {
        String named = clean(ctx.request().getHeader(HEADER));
        SocketAddress remote = ctx.request().remoteAddress();
        String from = remote == null ? "" : " from " + remote.hostAddress();
        return (named.isEmpty() ? "api client" : named) + from;
    }

    static String clean(String value) {
        if (value == null) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        value.strip().codePoints().filter(c -> c >= 0x20 && c != 0x7f && !Character.isISOControl(c)
                        && Character.getType(c) != Character.FORMAT)
                .limit(MAX_LENGTH).forEach(out::appendCodePoint);
        return out.toString().strip();
    }
}
