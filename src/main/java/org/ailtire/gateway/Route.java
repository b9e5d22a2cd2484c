package org.ailtire.gateway;

import org.ailtire.definition.RouteDeclaration;
import org.ailtire.definition.RouteFirewall;

import java.util.Objects;

/**
 * A gateway route: requests whose path is {@code path} or lies under it go to {@code target}, with the prefix
 * replaced by {@code rewrite}.
 *
 * @param name     unique in the stack ({@code <service>} or {@code <service>-<n>} when declared)
 * @param path     the prefix, e.g. {@code /shop} ({@code /} matches everything)
 * @param target   a service of this stack or a child stack, by key
 * @param rewrite  what replaces the prefix on the way to the target
 * @param protocol {@link Protocol#WS} also passes WebSocket upgrades
 * @param host     only requests for this host (lower case, port stripped) match, {@code *.example.com} for any one
 *                 label under that domain; {@code ""} for any host. A host route wins over host-less ones.
 * @param origin   declared in the definition, or added at runtime through the API
 * @param firewall what the gateway checks before a request goes on (declared, or given with a runtime route)
 */
public record Route(String name, String path, RouteTarget target, String rewrite, Protocol protocol, String host,
                    Origin origin, RouteFirewall firewall) {
    public enum Protocol {
        HTTP, WS;

        public static Protocol of(RouteDeclaration.Protocol declared) {
            return switch (declared) {
                case HTTP -> HTTP;
                case WS -> WS;
            };
        }
    }

    public enum Origin { DEFINITION, RUNTIME }

    public Route {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(rewrite, "rewrite");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(firewall, "firewall");
    }

    /** A route for any host, without firewall. */
    public Route(String name, String path, RouteTarget target, String rewrite, Protocol protocol, Origin origin) {
        this(name, path, target, rewrite, protocol, "", origin, RouteFirewall.NONE);
    }

    /** A route without firewall. */
    public Route(String name, String path, RouteTarget target, String rewrite, Protocol protocol, String host,
                 Origin origin) {
        this(name, path, target, rewrite, protocol, host, origin, RouteFirewall.NONE);
    }

    /** A route for any host. */
    public Route(String name, String path, RouteTarget target, String rewrite, Protocol protocol, Origin origin,
                 RouteFirewall firewall) {
        this(name, path, target, rewrite, protocol, "", origin, firewall);
    }

    /** Whether requests for {@code requestHost} (a Host header: port stripped and case ignored here) may match. */
    public boolean matchesHost(String requestHost) {
        if (host.isEmpty()) {
            return true;
        }
        String name = hostName(requestHost);
        if (host.startsWith("*.")) {
            int dot = name.indexOf('.');
            return dot > 0 && name.substring(dot).equals(host.substring(1));
        }
        return name.equals(host);
    }

    /** A Host header's name: lower case, without its port. */
    public static String hostName(String hostHeader) {
        if (hostHeader == null) {
            return "";
        }
        int colon = hostHeader.indexOf(':');
        return (colon < 0 ? hostHeader : hostHeader.substring(0, colon)).toLowerCase(java.util.Locale.ROOT);
    }

    /** Whether {@code requestPath} is the prefix itself or lies under it (segment-wise: /shop matches /shop/a, not /shopping). */
    public boolean matches(String requestPath) {
        if (path.equals("/")) {
            return requestPath.startsWith("/");
        }
        return requestPath.startsWith(path)
                && (requestPath.length() == path.length() || requestPath.charAt(path.length()) == '/');
    }

    /** The path the target sees: the prefix replaced by the rewrite (no doubled or lost slashes). */
    public String rewrite(String requestPath) {
        String rest = path.equals("/") ? requestPath.substring(1) : requestPath.substring(path.length());
        if (rest.startsWith("/")) {
            rest = rest.substring(1);
        }
        if (rest.isEmpty()) {
            return rewrite;
        }
        return rewrite.endsWith("/") ? rewrite + rest : rewrite + "/" + rest;
    }

    /** The part of the path the target does not see, for X-Forwarded-Prefix (empty when the path is kept). */
    public String strippedPrefix() {
        return rewrite.equals(path) ? "" : (path.equals("/") ? "" : path);
    }
}
