package org.ailtire.gateway;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;

/**
 * The X-Forwarded-* headers a gateway sets on a request it passes on: For (client address, appended), Proto, Host
 * and Prefix (the stripped prefixes, appended). With {@code trust} (behind a parent gateway) what the request brings
 * is kept or extended; without it (at the top, where clients could spoof them) it is replaced.
 */
final class ForwardedHeaders {
    static final CharSequence FOR = HttpHeaders.createOptimized("X-Forwarded-For");
    static final CharSequence PROTO = HttpHeaders.createOptimized("X-Forwarded-Proto");
    static final CharSequence HOST = HttpHeaders.createOptimized("X-Forwarded-Host");
    static final CharSequence PREFIX = HttpHeaders.createOptimized("X-Forwarded-Prefix");
    private static final CharSequence HTTP = HttpHeaders.createOptimized("http");
    private static final CharSequence HTTPS = HttpHeaders.createOptimized("https");

    private ForwardedHeaders() {
    }

    /** Sets the headers on {@code outgoing}, which holds (a copy of) the incoming request's headers. */
    static void set(HttpServerRequest incoming, Route route, boolean trust, MultiMap outgoing) {
        String client = incoming.remoteAddress() == null ? "unknown" : incoming.remoteAddress().hostAddress();
        String previousFor = trust ? outgoing.get(FOR) : null;
        outgoing.set(FOR, previousFor == null ? client : previousFor + ", " + client);
        if (!trust || !outgoing.contains(PROTO)) {
            outgoing.set(PROTO, incoming.isSSL() ? HTTPS : HTTP);
        }
        if (!trust || !outgoing.contains(HOST)) {
            var authority = incoming.authority();
            if (authority != null) {
                outgoing.set(HOST, authority.toString());
            } else {
                outgoing.remove(HOST);
            }
        }
        String previousPrefix = trust ? outgoing.get(PREFIX) : null;
        String prefix = previousPrefix == null ? route.strippedPrefix() : previousPrefix + route.strippedPrefix();
        if (prefix.isEmpty()) {
            outgoing.remove(PREFIX);
        } else {
            outgoing.set(PREFIX, prefix);
        }
    }
}
