package org.ailtire.definition;

import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.common.FlowStyle;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import static org.ailtire.definition.AiltireExtension.KEY;

/**
 * Reads {@code services.<key>.x-ailtire} into an {@link AiltireExtension}, reporting every wrong field at its path
 * (e.g. {@code services.web.x-ailtire.routes[0].port}). The only place that knows the field's raw shape: the bundler
 * and interpolation, which work on the tree before it is read, ask here too.
 */
final class AiltireExtensionReader {
    private static final String STACK = "stack";
    private static final String PATH = "path";
    private static final String ROUTES = "routes";
    private static final String COMPATIBILITY = "compatibility";
    private static final String AUTO_REDEPLOY = "auto_redeploy";
    /** A tag asked of its registry more often than this would count against its rate limits for little gain. */
    static final Duration SHORTEST_AUTO_REDEPLOY = Duration.ofSeconds(30);
    private static final String CHILD_OPTS_IN_ITSELF = "a child stack's services opt in in its own definition";
    private static final Set<String> CHILD_KEYS = Set.of(STACK, PATH);
    private static final Set<String> ORIGINAL_KEYS = Set.of(COMPATIBILITY, PATH);
    private static final List<String> ROUTE_KEYS = java.util.stream.Stream.concat(
            java.util.stream.Stream.of("path", "port", "rewrite", "protocol", "host"), RouteFirewallReader.KEYS.stream())
            .toList();
    private static final Pattern CHILD_DEFINITION = Pattern.compile("services\\.[^.]+\\." + Pattern.quote(KEY)
            + "\\." + STACK);

    private AiltireExtensionReader() {
    }

    /**
     * @param image the service's image as written (interpolated), null when it has none
     * @param value the field as loaded and interpolated; null (absent or empty) is {@link AiltireExtension#NONE}
     */
    static AiltireExtension read(String key, String image, Object value, String at, Problems problems) {
        Object extension = Values.plain(value);
        if (extension == null) {
            return AiltireExtension.NONE;
        }
        if (!(extension instanceof Map<?, ?> fields)) {
            problems.error(at, "expected a mapping with \"stack\" (the child stack's definition), \"compatibility\""
                    + " (an original ailtire child stack) or \"routes\" (the gateway routes of an ordinary service)");
            return AiltireExtension.NONE;
        }
        if (fields.containsKey(COMPATIBILITY)) {
            return originalChild(key, fields, at, problems);
        }
        if (fields.containsKey(STACK)) {
            return childStack(key, fields, at, problems);
        }
        List<RouteDeclaration> routes = routes(fields, at, problems);
        Optional<Duration> autoRedeploy = fields.containsKey(AUTO_REDEPLOY)
                ? autoRedeploy(fields.get(AUTO_REDEPLOY), image, Problems.child(at, AUTO_REDEPLOY), problems)
                : Optional.empty();
        return new AiltireExtension(Optional.empty(), routes, Optional.empty(), autoRedeploy);
    }

    /** {@code auto_redeploy}: a Compose duration of at least {@link #SHORTEST_AUTO_REDEPLOY}, for a tag that can move. */
    private static Optional<Duration> autoRedeploy(Object value, String image, String at, Problems problems) {
        if (!(value instanceof String) && !(value instanceof Integer) && !(value instanceof Long)) {
            problems.error(at, "expected a duration such as \"5m\" or \"1h\" (how often the tag is asked of its"
                    + " registry), got " + Values.describe(value));
            return Optional.empty();
        }
        String text = String.valueOf(value).strip();
        Duration interval;
        try {
            interval = Units.duration(text);
        } catch (IllegalArgumentException e) {
            problems.error(at, e.getMessage());
            return Optional.empty();
        }
        if (interval.compareTo(SHORTEST_AUTO_REDEPLOY) < 0) {
            problems.error(at, "expected at least 30s, got \"" + text + "\": a shorter interval would ask the registry"
                    + " too often");
            return Optional.empty();
        }
        if (image != null && image.contains("@")) {
            problems.error(at, "image " + image + " is pinned to a digest in the definition: nothing can move (name"
                    + " the tag to follow, without its digest)");
            return Optional.empty();
        }
        return Optional.of(interval);
    }

    /** {@code compatibility: original} (and {@code path}): the service's image is an original ailtire sidecar. */
    private static AiltireExtension originalChild(String key, Map<?, ?> fields, String at, Problems problems) {
        for (Object field : fields.keySet()) {
            if (AUTO_REDEPLOY.equals(field)) {
                problems.error(Problems.child(at, AUTO_REDEPLOY), CHILD_OPTS_IN_ITSELF);
            } else if (!ORIGINAL_KEYS.contains(String.valueOf(field))) {
                problems.error(Problems.child(at, String.valueOf(field)), "unknown field: an original child stack's "
                        + KEY + " holds \"compatibility\" and \"path\" (its definition is its own, in its image)");
            }
        }
        Object compatibility = fields.get(COMPATIBILITY);
        if (!OriginalChildReference.ORIGINAL.equals(compatibility)) {
            problems.error(Problems.child(at, COMPATIBILITY), "expected \"" + OriginalChildReference.ORIGINAL
                    + "\" (the service's image is an original ailtire sidecar), got "
                    + RouteSyntax.describe(compatibility));
        }
        Object path = fields.containsKey(PATH) ? fields.get(PATH) : "/" + key;
        Optional<String> pathProblem = RouteSyntax.pathProblem(path);
        pathProblem.ifPresent(p -> problems.error(Problems.child(at, PATH), p));
        return new AiltireExtension(Optional.empty(), List.of(),
                Optional.of(new OriginalChildReference(pathProblem.isPresent() ? "/" + key : (String) path)));
    }

    private static AiltireExtension childStack(String key, Map<?, ?> fields, String at, Problems problems) {
        for (Object field : fields.keySet()) {
            if (ROUTES.equals(field)) {
                problems.error(Problems.child(at, ROUTES), "a child stack is routed at its path; its own services"
                        + " declare their routes in its definition");
            } else if (AUTO_REDEPLOY.equals(field)) {
                problems.error(Problems.child(at, AUTO_REDEPLOY), CHILD_OPTS_IN_ITSELF);
            } else if (!CHILD_KEYS.contains(String.valueOf(field))) {
                problems.error(Problems.child(at, String.valueOf(field)), "unknown field: a child stack service's "
                        + KEY + " holds \"stack\" and \"path\" (an ordinary service's holds \"routes\")");
            }
        }
        String definition = childDefinition(fields.get(STACK), Problems.child(at, STACK), problems);
        Object path = fields.containsKey(PATH) ? fields.get(PATH) : "/" + key;
        Optional<String> pathProblem = RouteSyntax.pathProblem(path);
        pathProblem.ifPresent(p -> problems.error(Problems.child(at, PATH), p));
        // Still a child stack when a field is wrong (so it is not asked for an image); the loader refuses it anyway.
        return new AiltireExtension(Optional.of(new ChildStackReference(definition == null ? "" : definition,
                pathProblem.isPresent() ? "/" + key : (String) path)), List.of());
    }

    /** The child's definition as text: YAML text as written, a mapping written out; a file name is refused. */
    private static String childDefinition(Object stack, String at, Problems problems) {
        if (stack instanceof String text && looksLikeFileName(text)) {
            // Child files are inlined by the CLI before a definition travels; a controller never reads files.
            problems.error(at, "refused: file reference \"" + text + "\" in a definition received over the network"
                    + " (send the child's YAML inline; the CLI does this for files)");
            return null;
        }
        if (stack instanceof String text) {
            return text;
        }
        if (stack instanceof Map<?, ?> tree) {
            return new Dump(DumpSettings.builder().setDefaultFlowStyle(FlowStyle.BLOCK).build()).dumpToString(tree);
        }
        problems.error(at, "expected the child stack's definition (a mapping or YAML text)");
        return null;
    }

    /** One line, no YAML mapping or list in it, naming a path: a file reference, not a definition. */
    private static boolean looksLikeFileName(String text) {
        String t = text.strip();
        return !t.isEmpty() && !t.contains("\n") && !t.contains(": ") && !t.startsWith("{") && !t.startsWith("-")
                && (t.contains("/") || t.endsWith(".yml") || t.endsWith(".yaml"));
    }

    private static List<RouteDeclaration> routes(Map<?, ?> fields, String at, Problems problems) {
        for (Object field : fields.keySet()) {
            if (!ROUTES.equals(field) && !AUTO_REDEPLOY.equals(field)) {
                problems.error(Problems.child(at, String.valueOf(field)), "unknown field: an ordinary service's " + KEY
                        + " holds \"routes\" and \"auto_redeploy\" (a child stack service holds \"stack\")");
            }
        }
        Object declared = fields.get(ROUTES);
        List<RouteDeclaration> routes = new ArrayList<>();
        if (declared == null) {
            return routes;
        }
        String keys = "{" + String.join(", ", ROUTE_KEYS) + "}";
        if (!(declared instanceof List<?> list)) {
            problems.error(Problems.child(at, ROUTES), "expected a list of " + keys);
            return routes;
        }
        for (int i = 0; i < list.size(); i++) {
            String here = Problems.index(Problems.child(at, ROUTES), i);
            if (list.get(i) instanceof Map<?, ?> route) {
                route(route, here, problems).ifPresent(routes::add);
            } else {
                problems.error(here, "expected a mapping " + keys);
            }
        }
        return routes;
    }

    private static Optional<RouteDeclaration> route(Map<?, ?> route, String at, Problems problems) {
        List<String> wrong = new ArrayList<>();
        for (Object field : route.keySet()) {
            if (!ROUTE_KEYS.contains(String.valueOf(field))) {
                wrong.add(String.valueOf(field));
                problems.error(Problems.child(at, String.valueOf(field)), "unknown field (expected "
                        + String.join(", ", ROUTE_KEYS) + ")");
            }
        }
        Object path = route.get("path");
        RouteSyntax.pathProblem(path).ifPresent(p -> wrong.add(problem(problems, at, "path", p)));
        Optional<Integer> port = RouteSyntax.port(route.get("port"));
        if (port.isEmpty()) {
            wrong.add(problem(problems, at, "port", "expected 1-65535, got " + RouteSyntax.describe(route.get("port"))));
        }
        Object rewrite = route.containsKey("rewrite") ? route.get("rewrite") : path;
        if (route.containsKey("rewrite")) {
            RouteSyntax.rewriteProblem(rewrite).ifPresent(p -> wrong.add(problem(problems, at, "rewrite", p)));
        }
        Optional<RouteDeclaration.Protocol> protocol = RouteSyntax.protocol(route.get("protocol"));
        if (protocol.isEmpty()) {
            wrong.add(problem(problems, at, "protocol", "expected http or ws, got "
                    + RouteSyntax.describe(route.get("protocol"))));
        }
        String host = host(route, at, problems);
        if (host == null) {
            wrong.add("host");
        }
        Optional<RouteFirewall> firewall = firewall(route, at, problems);
        if (firewall.isEmpty()) {
            wrong.add("firewall");
        }
        return wrong.isEmpty() ? Optional.of(new RouteDeclaration((String) path, port.get(), (String) rewrite,
                protocol.get(), host, firewall.get())) : Optional.empty();
    }

    /** A route's {@code host}: "" when absent (any host), null when wrong (reported). */
    private static String host(Map<?, ?> route, String at, Problems problems) {
        if (!route.containsKey("host")) {
            return "";
        }
        Object host = route.get("host");
        var problem = RouteSyntax.hostProblem(host);
        if (problem.isPresent()) {
            problems.error(Problems.child(at, "host"), problem.get());
            return null;
        }
        return RouteSyntax.host(host);
    }

    /** The route's firewall keys (rate_limit, allow, auth, max_body, timeout, retries), each optional. */
    private static Optional<RouteFirewall> firewall(Map<?, ?> route, String at, Problems problems) {
        return RouteFirewallReader.read(route, at, problems);
    }

    private static String problem(Problems problems, String at, String key, String message) {
        problems.error(Problems.child(at, key), message);
        return key;
    }

    /** Two routes of one definition (a child stack's included) cannot claim one path for one host. */
    static void checkRoutePaths(Map<String, ServiceDefinition> services, Problems problems) {
        Map<String, String> owners = new HashMap<>();
        for (ServiceDefinition service : services.values()) {
            List<String> claims = service.ailtire().stack().map(child -> List.of(child.path()))
                    .or(() -> service.ailtire().original().map(child -> List.of(child.path())))
                    .orElseGet(() -> service.ailtire().routes().stream()
                            .map(r -> r.host().isEmpty() ? r.path() : r.path() + " for host " + r.host()).toList());
            for (String claim : claims) {
                String previous = owners.putIfAbsent(claim, service.name());
                if (previous != null) {
                    problems.error("services." + service.name() + "." + KEY,
                            "route path " + claim + " is already routed to " + previous);
                }
            }
        }
    }

    /** Whether {@code path} is a child stack's inline definition, which its own controller interpolates. */
    static boolean isChildDefinition(String path) {
        return CHILD_DEFINITION.matcher(path).matches();
    }

    /**
     * The file a service of a raw YAML tree names as its child stack's definition ({@code x-ailtire: {stack:
     * backend.yml}}), which the CLI reads and inlines.
     */
    /** A service's child stack as written ({@code x-ailtire.stack}: a file's name or an inline definition), if any. */
    static Optional<Object> childStack(Object service) {
        if (service instanceof Map<?, ?> fields && fields.get(KEY) instanceof Map<?, ?> extension
                && extension.containsKey(STACK)) {
            return Optional.ofNullable(extension.get(STACK));
        }
        return Optional.empty();
    }

    static Optional<String> childFile(Object service) {
        if (service instanceof Map<?, ?> fields && fields.get(KEY) instanceof Map<?, ?> extension
                && extension.get(STACK) instanceof String reference
                && !reference.contains("\n") && (reference.endsWith(".yml") || reference.endsWith(".yaml"))) {
            return Optional.of(reference);
        }
        return Optional.empty();
    }

    /** Replaces the file {@link #childFile} found by the child's definition text. */
    @SuppressWarnings("unchecked")
    static void inlineChild(Object service, String definition) {
        Map<String, Object> fields = (Map<String, Object>) service;
        Map<String, Object> inlined = new LinkedHashMap<>((Map<String, Object>) fields.get(KEY));
        inlined.put(STACK, definition);
        fields.put(KEY, inlined);
    }
}
