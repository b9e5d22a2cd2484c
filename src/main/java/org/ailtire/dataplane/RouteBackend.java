package org.ailtire.dataplane;

import org.ailtire.gateway.Route;

import java.util.List;
import java.util.Objects;

/**
 * A route with where its traffic goes now: the servers of its target (a service's tasks, or a child stack's
 * controller), or why it cannot go anywhere.
 */
public record RouteBackend(Route route, Target target) {
    public RouteBackend {
        Objects.requireNonNull(route, "route");
        Objects.requireNonNull(target, "target");
    }

    /** Where a route's requests go. */
    public sealed interface Target {
    }

    /**
     * Servers named by the controller (one per task, by its id), changed at run time through HAProxy's runtime API.
     * A host that is a name rather than an address is resolved when HAProxy starts and again through DNS.
     */
    public record Servers(List<Server> servers) implements Target {
        public Servers {
            servers = List.copyOf(servers);
        }
    }

    /** Servers found in DNS: {@code slots} server slots filled from the name's address records. */
    public record Dns(String name, int port, int slots) implements Target {
    }

    /** The target cannot be reached now (e.g. a child stack not registered yet): every request gets this answer. */
    public record Unavailable(int status, String message) implements Target {
    }

    /**
     * @param name     unique within its route, made of letters, digits, '.', '_' and '-'
     * @param draining takes no new requests (a task being replaced): those it has are answered
     */
    public record Server(String name, String host, int port, boolean draining) {
        public Server {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(host, "host");
            if (!name.matches("[A-Za-z0-9._-]+")) {
                throw new IllegalArgumentException("server name: expected letters, digits, '.', '_' or '-', got " + name);
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("server port: expected 1-65535, got " + port);
            }
        }

        public Server(String name, String host, int port) {
            this(name, host, port, false);
        }

        /** Whether the host is an IP address: such servers are changed through the runtime API, not a reload. */
        public boolean hasAddress() {
            return host.matches("[0-9.]+") || host.contains(":");
        }

        public String address() {
            return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        }
    }
}
