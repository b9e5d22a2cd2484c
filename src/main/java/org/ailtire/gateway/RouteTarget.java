package org.ailtire.gateway;

import java.util.Objects;

/**
 * Where a route goes: a service of this stack (by key, on {@code port}) or a child stack's controller (by key).
 * Never a host name or address: the gateway resolves keys itself, so no route can reach outside the stack.
 */
public record RouteTarget(String service, int port, boolean childStack) {
    public RouteTarget {
        Objects.requireNonNull(service, "service");
        if (!childStack && (port < 1 || port > 65535)) {
            throw new IllegalArgumentException("port: expected 1-65535, got " + port);
        }
    }

    public static RouteTarget service(String key, int port) {
        return new RouteTarget(key, port, false);
    }

    public static RouteTarget childStack(String key) {
        return new RouteTarget(key, 0, true);
    }

    @Override
    public String toString() {
        return childStack ? "child stack " + service : "service " + service + ":" + port;
    }
}
