package org.ailtire.gateway;

import org.ailtire.definition.RouteFirewall;
import org.ailtire.definition.RouteFirewallReader;
import org.ailtire.definition.RouteSyntax;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The routes of one stack: those its current definition declares (read on every lookup, so an update takes effect
 * at once) and those added at runtime. A request goes to the route with the longest matching prefix.
 */
public final class RouteTable {
    private static final Set<String> RUNTIME_KEYS = java.util.stream.Stream.concat(
            java.util.stream.Stream.of("name", "path", "service", "port", "rewrite", "protocol", "host"),
            RouteFirewallReader.KEYS.stream()).collect(java.util.stream.Collectors.toUnmodifiableSet());

    /** A runtime route that cannot be added: 400 (invalid) or 409 (clashes with an existing one). */
    public static final class Refused extends Exception {
        private final boolean conflict;
        private final List<String> problems;

        Refused(boolean conflict, String message, List<String> problems) {
            super(message);
            this.conflict = conflict;
            this.problems = List.copyOf(problems);
        }

        public boolean conflict() {
            return conflict;
        }

        public List<String> problems() {
            return problems;
        }
    }

    private final Supplier<StackRoutes> definition;
    private volatile Map<String, Route> runtime = Map.of();
    private final List<Runnable> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    public RouteTable(Supplier<StackRoutes> definition) {
        this.definition = definition;
    }

    public static RouteTable empty() {
        return new RouteTable(() -> StackRoutes.NONE);
    }

    /** Called after every runtime route added or removed, on the thread that changed it. */
    public void addListener(Runnable listener) {
        listeners.add(listener);
    }

    private void changed() {
        listeners.forEach(Runnable::run);
    }

    public List<Route> all() {
        List<Route> all = new ArrayList<>(definition.get().declared());
        all.addAll(runtime.values());
        return all;
    }

    public Optional<Route> find(String name) {
        return all().stream().filter(r -> r.name().equals(name)).findFirst();
    }

    /** The route of a request without a Host header: host-less routes only. */
    public Optional<Route> match(String path) {
        return match("", path);
    }

    /**
     * The route of a request (as the data plane routes it): among the routes that match its host and path, one for
     * its host by name beats one for a wildcard host, which beats a host-less one; within those, the longest path.
     */
    public Optional<Route> match(String host, String path) {
        Route best = null;
        for (Route route : all()) {
            best = better(best, route, host, path);
        }
        return Optional.ofNullable(best);
    }

    private static Route better(Route best, Route candidate, String host, String path) {
        if (!candidate.matchesHost(host) || !candidate.matches(path)) {
            return best;
        }
        if (best == null || hostRank(candidate) > hostRank(best)) {
            return candidate;
        }
        return hostRank(candidate) == hostRank(best) && candidate.path().length() > best.path().length()
                ? candidate : best;
    }

    private static int hostRank(Route route) {
        return route.host().isEmpty() ? 0 : route.host().startsWith("*.") ? 1 : 2;
    }

    /**
     * Adds a route from the API's JSON body. Its target must be a service or child stack of this stack, by key:
     * any host, address or URL is refused, so the gateway cannot be made to reach anything else.
     */
    public synchronized Route add(Map<?, ?> body) throws Refused {
        List<String> problems = new ArrayList<>();
        for (Object field : body.keySet()) {
            if (!RUNTIME_KEYS.contains(String.valueOf(field))) {
                problems.add(field + ": unknown field; a route names its target by \"service\" (a key of this"
                        + " stack) and \"port\", never by address");
            }
        }
        RouteSyntax.nameProblem(body.get("name")).ifPresent(p -> problems.add("name: " + p));
        RouteSyntax.pathProblem(body.get("path")).ifPresent(p -> problems.add("path: " + p));
        Object rewrite = body.containsKey("rewrite") ? body.get("rewrite") : body.get("path");
        if (body.containsKey("rewrite")) {
            RouteSyntax.rewriteProblem(rewrite).ifPresent(p -> problems.add("rewrite: " + p));
        }
        var protocol = RouteSyntax.protocol(body.get("protocol"));
        if (protocol.isEmpty()) {
            problems.add("protocol: expected http or ws, got " + RouteSyntax.describe(body.get("protocol")));
        }
        String host = "";
        if (body.containsKey("host")) {
            var hostProblem = RouteSyntax.hostProblem(body.get("host"));
            hostProblem.ifPresent(p -> problems.add("host: " + p));
            host = hostProblem.isEmpty() ? RouteSyntax.host(body.get("host")) : "";
        }
        Optional<RouteFirewall> firewall = RouteFirewallReader.read(body, problems);
        StackRoutes stack = definition.get();
        Object service = body.get("service");
        RouteTarget target = null;
        if (!(service instanceof String key) || !stack.services().contains(key) && !stack.childStacks().contains(key)) {
            problems.add("service: " + RouteSyntax.describe(service) + " is not a service or child stack of this"
                    + " stack (known: " + String.join(", ", new java.util.TreeSet<>(knownKeys(stack))) + ")");
        } else if (stack.childStacks().contains(key)) {
            if (body.get("port") != null) {
                problems.add("port: " + key + " is a child stack; its controller's port is implied");
            }
            target = RouteTarget.childStack(key);
        } else {
            var port = RouteSyntax.port(body.get("port"));
            if (port.isEmpty()) {
                problems.add("port: expected 1-65535, got " + RouteSyntax.describe(body.get("port")));
            } else {
                target = RouteTarget.service(key, port.get());
            }
        }
        if (!problems.isEmpty()) {
            throw new Refused(false, "invalid route", problems);
        }
        String name = (String) body.get("name");
        String path = (String) body.get("path");
        for (Route existing : all()) {
            if (existing.name().equals(name)) {
                throw new Refused(true, "a route named " + name + " exists already", List.of());
            }
            if (existing.path().equals(path) && existing.host().equals(host)) {
                throw new Refused(true, "path " + path + (host.isEmpty() ? "" : " for host " + host)
                        + " is already routed by " + existing.name(), List.of());
            }
        }
        Route route = new Route(name, path, target, (String) rewrite, Route.Protocol.of(protocol.get()), host,
                Route.Origin.RUNTIME, firewall.orElseThrow());
        Map<String, Route> next = new LinkedHashMap<>(runtime);
        next.put(name, route);
        runtime = java.util.Collections.unmodifiableMap(next);
        changed();
        return route;
    }

    /** @return the removed runtime route; empty when there is none of that name */
    public synchronized Optional<Route> remove(String name) {
        Route route = runtime.get(name);
        if (route == null) {
            return Optional.empty();
        }
        Map<String, Route> next = new LinkedHashMap<>(runtime);
        next.remove(name);
        runtime = java.util.Collections.unmodifiableMap(next);
        changed();
        return Optional.of(route);
    }

    private static List<String> knownKeys(StackRoutes stack) {
        List<String> keys = new ArrayList<>(stack.services());
        keys.addAll(stack.childStacks());
        keys.sort(Comparator.naturalOrder());
        return keys;
    }
}
