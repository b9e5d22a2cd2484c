package org.ailtire.gateway;

import org.ailtire.definition.DefinitionException;
import org.ailtire.definition.Problem;
import org.ailtire.definition.ServiceDefinition;
import org.ailtire.definition.StackDefinition;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the routes a definition declares: {@code x-ailtire.routes} of ordinary services, and one route per child
 * stack service at {@code /<key>} (or {@code x-ailtire.path}) to the child's controller, prefix stripped.
 */
public final class RouteDeclarations {
    public static final String EXTENSION = "x-ailtire";
    private static final Set<String> ROUTE_KEYS = Set.of("path", "port", "rewrite", "protocol");

    private RouteDeclarations() {
    }

    /** @throws DefinitionException naming every wrong field, e.g. {@code services.web.x-ailtire.routes[0].port} */
    public static StackRoutes read(StackDefinition definition) throws DefinitionException {
        List<Problem> problems = new ArrayList<>();
        List<Route> routes = new ArrayList<>();
        Set<String> services = new LinkedHashSet<>();
        Set<String> children = new LinkedHashSet<>();
        Map<String, String> pathOwners = new HashMap<>();
        for (ServiceDefinition service : definition.services().values()) {
            String at = "services." + service.name() + "." + EXTENSION;
            Object extension = service.extensions().get(EXTENSION);
            if (extension == null) {
                services.add(service.name());
                continue;
            }
            if (!(extension instanceof Map<?, ?> fields)) {
                problems.add(Problem.error(at, "expected a mapping"));
                continue;
            }
            if (fields.containsKey("stack")) {
                children.add(service.name());
                childRoute(service.name(), fields, at, problems).ifPresent(routes::add);
            } else {
                services.add(service.name());
                serviceRoutes(service.name(), fields, at, problems, routes);
            }
        }
        for (Route route : routes) {
            String previous = pathOwners.putIfAbsent(route.path(), route.target().service());
            if (previous != null) {
                problems.add(Problem.error("services." + route.target().service() + "." + EXTENSION,
                        "route path " + route.path() + " is already routed to " + previous));
            }
        }
        if (!problems.isEmpty()) {
            throw new DefinitionException(problems);
        }
        return new StackRoutes(routes, services, children);
    }

    private static java.util.Optional<Route> childRoute(String key, Map<?, ?> fields, String at, List<Problem> problems) {
        Object path = fields.containsKey("path") ? fields.get("path") : "/" + key;
        var problem = RouteSyntax.pathProblem(path);
        if (problem.isPresent()) {
            problems.add(Problem.error(at + ".path", problem.get()));
            return java.util.Optional.empty();
        }
        if (fields.containsKey("routes")) {
            problems.add(Problem.error(at + ".routes", "a child stack is routed at its path; its own services"
                    + " declare their routes in its definition"));
        }
        return java.util.Optional.of(new Route(key, (String) path, RouteTarget.childStack(key), "/",
                Route.Protocol.WS, Route.Origin.DEFINITION));
    }

    private static void serviceRoutes(String key, Map<?, ?> fields, String at, List<Problem> problems,
                                      List<Route> routes) {
        for (Object field : fields.keySet()) {
            if (!"routes".equals(field)) {
                problems.add(Problem.error(at + "." + field, "unknown field: an ordinary service's " + EXTENSION
                        + " holds \"routes\" (a child stack service holds \"stack\")"));
            }
        }
        Object declared = fields.get("routes");
        if (declared == null) {
            return;
        }
        if (!(declared instanceof List<?> list)) {
            problems.add(Problem.error(at + ".routes", "expected a list of {path, port, rewrite, protocol}"));
            return;
        }
        for (int i = 0; i < list.size(); i++) {
            String here = at + ".routes[" + i + "]";
            if (!(list.get(i) instanceof Map<?, ?> route)) {
                problems.add(Problem.error(here, "expected a mapping {path, port, rewrite, protocol}"));
                continue;
            }
            parse(key, i == 0 ? key : key + "-" + i, route, here, problems).ifPresent(routes::add);
        }
    }

    private static java.util.Optional<Route> parse(String key, String name, Map<?, ?> route, String at,
                                                   List<Problem> problems) {
        int before = problems.size();
        for (Object field : route.keySet()) {
            if (!ROUTE_KEYS.contains(String.valueOf(field))) {
                problems.add(Problem.error(at + "." + field, "unknown field (expected path, port, rewrite, protocol)"));
            }
        }
        Object path = route.get("path");
        RouteSyntax.pathProblem(path).ifPresent(p -> problems.add(Problem.error(at + ".path", p)));
        var port = RouteSyntax.port(route.get("port"));
        if (port.isEmpty()) {
            problems.add(Problem.error(at + ".port", "expected 1-65535, got " + RouteSyntax.describe(route.get("port"))));
        }
        Object rewrite = route.containsKey("rewrite") ? route.get("rewrite") : path;
        if (route.containsKey("rewrite")) {
            RouteSyntax.rewriteProblem(rewrite).ifPresent(p -> problems.add(Problem.error(at + ".rewrite", p)));
        }
        var protocol = RouteSyntax.protocol(route.get("protocol"));
        if (protocol.isEmpty()) {
            problems.add(Problem.error(at + ".protocol", "expected http or ws, got "
                    + RouteSyntax.describe(route.get("protocol"))));
        }
        if (problems.size() > before) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(new Route(name, (String) path, RouteTarget.service(key, port.get()),
                (String) rewrite, protocol.get(), Route.Origin.DEFINITION));
    }
}
