package org.ailtire.swarm.drift;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * How the engine's objects of a stack differ from those its last applied definition produced (read back from the
 * engine once that apply ended, so the engine's own defaults are on both sides). A pure function of the two; the
 * differences are in a stable order: services by key, then networks, configs and secrets by name.
 *
 * <p>Per service, in this order: removed; scaled (the replica count); another image; another environment (variable
 * names only, never values: they may be secret); any other change of the spec, named by the paths that differ. A
 * service the definition does not have, carrying the stack's label, is reported as added. Networks, configs and
 * secrets are compared by name: they cannot change, only go.
 */
public record Drift(List<Difference> differences) {
    public static final Drift NONE = new Drift(List.of());
    static final int PATHS_NAMED = 3;

    public Drift {
        differences = List.copyOf(differences);
    }

    public static Drift between(EngineObjects produced, EngineObjects now) {
        List<Difference> found = new ArrayList<>();
        Map<String, ServiceFacts> byKey = new TreeMap<>();
        produced.services().values().forEach(s -> byKey.put(s.key(), s));
        for (ServiceFacts defined : byKey.values()) {
            ServiceFacts seen = now.services().get(defined.name());
            if (seen == null) {
                found.add(new Difference(Difference.Kind.REMOVED, objectOf(defined), defined.name(), defined.key(),
                        "removed"));
            } else {
                compare(defined, seen, found);
            }
        }
        now.services().values().stream().filter(s -> !produced.services().containsKey(s.name()))
                .sorted(Comparator.comparing(ServiceFacts::key))
                .forEach(s -> found.add(new Difference(Difference.Kind.ADDED, objectOf(s), s.name(), s.key(),
                        "added (not in the definition)")));
        removed("network", produced.networks(), now.networks(), found);
        removed("config", produced.configs(), now.configs(), found);
        removed("secret", produced.secrets(), now.secrets(), found);
        return new Drift(found);
    }

    /** A service running a child stack's controller is called a stack: what is gone is the child stack's door. */
    private static String objectOf(ServiceFacts service) {
        return service.childStack() ? "stack" : "service";
    }

    private static void compare(ServiceFacts defined, ServiceFacts seen, List<Difference> found) {
        String name = defined.name();
        String key = defined.key();
        String object = objectOf(defined);
        if (defined.replicas() != null && seen.replicas() != null && !defined.replicas().equals(seen.replicas())) {
            found.add(new Difference(Difference.Kind.SCALED, object, name, key,
                    "scaled to " + seen.replicas() + " (definition: " + defined.replicas() + ")"));
        }
        if (!Objects.equals(defined.image(), seen.image())) {
            found.add(new Difference(Difference.Kind.IMAGE, object, name, key,
                    "image changed to " + seen.image() + " (definition: " + defined.image() + ")"));
        }
        String environment = environmentChange(defined.env(), seen.env());
        if (!environment.isEmpty()) {
            found.add(new Difference(Difference.Kind.ENVIRONMENT, object, name, key,
                    "environment changed: " + environment));
        }
        List<String> paths = new ArrayList<>();
        differingPaths("", defined.rest(), seen.rest(), paths);
        if (!paths.isEmpty()) {
            String named = paths.stream().limit(PATHS_NAMED).collect(Collectors.joining(", "));
            found.add(new Difference(Difference.Kind.SPEC, object, name, key, "spec changed: " + named
                    + (paths.size() > PATHS_NAMED ? " and " + (paths.size() - PATHS_NAMED) + " more" : "")));
        }
    }

    /** E.g. {@code DEBUG added, GREETING changed, LANG removed}; empty when the same (order does not count). */
    static String environmentChange(List<String> defined, List<String> seen) {
        Map<String, String> before = variables(defined);
        Map<String, String> after = variables(seen);
        Set<String> names = new TreeSet<>(before.keySet());
        names.addAll(after.keySet());
        List<String> changes = new ArrayList<>();
        for (String variable : names) {
            if (!before.containsKey(variable)) {
                changes.add(variable + " added");
            } else if (!after.containsKey(variable)) {
                changes.add(variable + " removed");
            } else if (!before.get(variable).equals(after.get(variable))) {
                changes.add(variable + " changed");
            }
        }
        return String.join(", ", changes);
    }

    private static Map<String, String> variables(List<String> env) {
        Map<String, String> variables = new LinkedHashMap<>();
        for (String entry : env) {
            int equals = entry.indexOf('=');
            variables.put(equals < 0 ? entry : entry.substring(0, equals), equals < 0 ? "" : entry.substring(equals + 1));
        }
        return variables;
    }

    /** The paths (JSON field names joined by dots) where two specs differ; lists count as one value. */
    static void differingPaths(String at, JsonNode defined, JsonNode seen, List<String> paths) {
        if (defined.isObject() && seen.isObject()) {
            Set<String> fields = new TreeSet<>();
            defined.fieldNames().forEachRemaining(fields::add);
            seen.fieldNames().forEachRemaining(fields::add);
            for (String field : fields) {
                differingPaths(at.isEmpty() ? field : at + "." + field, defined.path(field), seen.path(field), paths);
            }
        } else if (!defined.equals(seen) && !(isAbsent(defined) && isAbsent(seen))) {
            paths.add(at);
        }
    }

    private static boolean isAbsent(JsonNode node) {
        return node.isMissingNode() || node.isNull();
    }

    private static void removed(String object, Set<String> produced, Set<String> now, List<Difference> found) {
        produced.stream().filter(name -> !now.contains(name)).sorted()
                .forEach(name -> found.add(new Difference(Difference.Kind.REMOVED, object, name, name, "removed")));
    }

    public boolean isEmpty() {
        return differences.isEmpty();
    }

    /** E.g. {@code drifted: service web removed; service api scaled to 3 (definition: 1)}; empty when none. */
    public String describe() {
        return differences.isEmpty() ? "" : "drifted: " + summary();
    }

    /** The differences, e.g. {@code service web removed; service api scaled to 3 (definition: 1)}. */
    public String summary() {
        return differences.stream().map(Difference::describe).collect(Collectors.joining("; "));
    }

    /** Engine names of the services whose spec must be written again to put them back (their hash label is the same). */
    public Set<String> rewrites() {
        return differences.stream().filter(d -> d.kind().rewritesSpec()).map(Difference::name)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** The services (child stack controllers among them) the definition has and the engine no longer. */
    public List<Difference> removedServices() {
        return differences.stream().filter(d -> d.kind() == Difference.Kind.REMOVED && d.isService()).toList();
    }
}
