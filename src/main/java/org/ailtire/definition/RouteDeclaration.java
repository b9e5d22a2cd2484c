package org.ailtire.definition;

import java.util.Objects;

/**
 * One entry of {@code x-ailtire.routes}: requests whose path is {@code path} or lies under it go to this service on
 * {@code port}, with the prefix replaced by {@code rewrite}. Each key of a route entry is one component here, read
 * and checked by {@link AiltireExtensionReader}; a new key is a new component and one more line there.
 *
 * @param path     the prefix, e.g. {@code /shop} ({@code /} matches everything)
 * @param port     the service's port, 1-65535
 * @param rewrite  what replaces the prefix ({@code rewrite}; by default the path itself, so the path is kept)
 * @param protocol {@code protocol}: {@link Protocol#WS} also passes WebSocket upgrades
 * @param host     {@code host}: only requests for this host name (lower case; {@code *.example.com} for any one
 *                 label under it) match; {@code ""} for any host
 * @param firewall {@code rate_limit}, {@code allow}, {@code auth}, {@code max_body}, {@code timeout} and
 *                 {@code retries}, each optional
 */
public record RouteDeclaration(String path, int port, String rewrite, Protocol protocol, String host,
                               RouteFirewall firewall) {
    public enum Protocol { HTTP, WS }

    public RouteDeclaration {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(rewrite, "rewrite");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(firewall, "firewall");
    }

    /** A route for any host, without firewall keys. */
    public RouteDeclaration(String path, int port, String rewrite, Protocol protocol) {
        this(path, port, rewrite, protocol, "", RouteFirewall.NONE);
    }

    /** A route without firewall keys. */
    public RouteDeclaration(String path, int port, String rewrite, Protocol protocol, String host) {
        this(path, port, rewrite, protocol, host, RouteFirewall.NONE);
    }
}
