package org.ailtire.policy;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.ailtire.definition.Problem;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What a tree lets its definitions do beyond an ordinary service. Deny by default: {@link #DENY} allows none of it.
 * The same keys are read from the deploy's policy file, a definition's top-level {@value #KEY} (which can only
 * narrow the policy its stack received) and the {@code AILTIRE_POLICY} variable a parent hands its children.
 *
 * @param bindPaths    host paths a bind mount (or a local volume's {@code device}) may name, exactly, normalised
 * @param dockerSocket whether the engine's socket may be mounted (or a host path that holds it)
 * @param hostNetwork  whether a service may join the swarm's {@code host} network
 * @param capabilities capabilities {@code cap_add} may add beyond docker's default set, e.g. {@code NET_ADMIN}
 * @param secrets      engine names of existing secrets a definition may use ({@code external: true})
 */
public record DefinitionPolicy(
        @JsonProperty("allow_bind") List<String> bindPaths,
        @JsonProperty("allow_docker_socket") boolean dockerSocket,
        @JsonProperty("allow_host_network") boolean hostNetwork,
        @JsonProperty("allow_cap") List<String> capabilities,
        @JsonProperty("allow_secret") List<String> secrets) {
    /** The top-level extension field of a definition that narrows the policy for its stack and the stacks below. */
    public static final String KEY = "x-ailtire-policy";
    public static final DefinitionPolicy DENY = new DefinitionPolicy(List.of(), false, false, List.of(), List.of());

    static final String BIND = "allow_bind";
    static final String SOCKET = "allow_docker_socket";
    static final String HOST_NETWORK = "allow_host_network";
    static final String CAP = "allow_cap";
    static final String SECRET = "allow_secret";
    private static final Set<String> KEYS = Set.of(BIND, SOCKET, HOST_NETWORK, CAP, SECRET);

    public DefinitionPolicy {
        bindPaths = bindPaths == null ? List.of() : List.copyOf(new LinkedHashSet<>(bindPaths.stream()
                .map(DefinitionPolicy::normalisedPath).toList()));
        capabilities = capabilities == null ? List.of() : List.copyOf(new LinkedHashSet<>(capabilities.stream()
                .map(DefinitionPolicy::capability).toList()));
        secrets = secrets == null ? List.of() : List.copyOf(new LinkedHashSet<>(secrets));
    }

    /**
     * Reads the policy keys from parsed YAML or JSON (maps, lists, strings, booleans), every problem with its path.
     *
     * @param path where the value is, e.g. {@code x-ailtire-policy} or a file's name; problems name it
     */
    public static DefinitionPolicy read(Object value, String path, List<Problem> problems) {
        if (value == null) {
            return DENY;
        }
        if (!(value instanceof Map<?, ?> map)) {
            problems.add(Problem.error(path, "expected a mapping of " + String.join(", ", new java.util.TreeSet<>(KEYS))));
            return DENY;
        }
        for (Object key : map.keySet()) {
            if (!KEYS.contains(String.valueOf(key))) {
                problems.add(Problem.error(at(path, String.valueOf(key)), "unknown key: expected one of "
                        + String.join(", ", new java.util.TreeSet<>(KEYS))));
            }
        }
        List<String> binds = strings(map.get(BIND), at(path, BIND), problems);
        for (int i = 0; i < binds.size(); i++) {
            if (!binds.get(i).startsWith("/")) {
                problems.add(Problem.error(at(path, BIND) + "[" + i + "]", "expected an absolute host path, got \""
                        + binds.get(i) + "\""));
            }
        }
        List<String> caps = strings(map.get(CAP), at(path, CAP), problems);
        for (int i = 0; i < caps.size(); i++) {
            if (!caps.get(i).matches("(?i)(CAP_)?[A-Z_]+")) {
                problems.add(Problem.error(at(path, CAP) + "[" + i + "]", "expected a capability such as NET_ADMIN, got \""
                        + caps.get(i) + "\""));
            }
        }
        return new DefinitionPolicy(binds.stream().filter(b -> b.startsWith("/")).toList(),
                flag(map.get(SOCKET), at(path, SOCKET), problems), flag(map.get(HOST_NETWORK), at(path, HOST_NETWORK),
                problems), caps.stream().filter(c -> c.matches("(?i)(CAP_)?[A-Z_]+")).toList(),
                strings(map.get(SECRET), at(path, SECRET), problems));
    }

    /** Both policies at once: only what each allows (a child's policy is its parent's narrowed by its own). */
    public DefinitionPolicy narrowedBy(DefinitionPolicy other) {
        return new DefinitionPolicy(bindPaths.stream().filter(other.bindPaths::contains).toList(),
                dockerSocket && other.dockerSocket, hostNetwork && other.hostNetwork,
                capabilities.stream().filter(other.capabilities::contains).toList(),
                secrets.stream().filter(other.secrets::contains).toList());
    }

    /** What either policy allows (a deploy's policy file and its flags together). */
    public DefinitionPolicy union(DefinitionPolicy other) {
        List<String> binds = new ArrayList<>(bindPaths);
        binds.addAll(other.bindPaths);
        List<String> caps = new ArrayList<>(capabilities);
        caps.addAll(other.capabilities);
        List<String> names = new ArrayList<>(secrets);
        names.addAll(other.secrets);
        return new DefinitionPolicy(binds, dockerSocket || other.dockerSocket, hostNetwork || other.hostNetwork, caps,
                names);
    }

    /** What {@code asked} allows that this policy does not, as {@code key: value} for the error message. */
    public List<String> widenedBy(DefinitionPolicy asked) {
        List<String> wider = new ArrayList<>();
        asked.bindPaths.stream().filter(p -> !bindPaths.contains(p)).forEach(p -> wider.add(BIND + " " + p));
        if (asked.dockerSocket && !dockerSocket) {
            wider.add(SOCKET);
        }
        if (asked.hostNetwork && !hostNetwork) {
            wider.add(HOST_NETWORK);
        }
        asked.capabilities.stream().filter(c -> !capabilities.contains(c)).forEach(c -> wider.add(CAP + " " + c));
        asked.secrets.stream().filter(s -> !secrets.contains(s)).forEach(s -> wider.add(SECRET + " " + s));
        return wider;
    }

    /** One line per allowance, or {@code deny by default} when it allows nothing (for status and the console). */
    @JsonIgnore
    public List<String> allowances() {
        List<String> lines = new ArrayList<>();
        bindPaths.forEach(p -> lines.add("bind " + p));
        if (dockerSocket) {
            lines.add("docker socket");
        }
        if (hostNetwork) {
            lines.add("host network");
        }
        capabilities.forEach(c -> lines.add("cap_add " + c));
        secrets.forEach(s -> lines.add("external secret " + s));
        return lines.isEmpty() ? List.of("deny by default") : lines;
    }

    /** A host path without {@code .}, {@code ..}, doubled or trailing slashes: {@code /srv/data/} is {@code /srv/data}. */
    static String normalisedPath(String path) {
        if (!path.startsWith("/")) {
            return path;
        }
        // By hand rather than with Path: a path the file system would refuse (a NUL in it) is still compared.
        java.util.Deque<String> segments = new java.util.ArrayDeque<>();
        for (String segment : path.split("/")) {
            if (segment.isEmpty() || segment.equals(".")) {
                continue;
            }
            if (segment.equals("..")) {
                segments.pollLast();
            } else {
                segments.addLast(segment);
            }
        }
        return "/" + String.join("/", segments);
    }

    /** Upper case without the {@code CAP_} prefix, as docker's default set is written. */
    static String capability(String name) {
        String upper = name.strip().toUpperCase(Locale.ROOT);
        return upper.startsWith("CAP_") ? upper.substring(4) : upper;
    }

    private static List<String> strings(Object value, String path, List<Problem> problems) {
        if (value == null) {
            return List.of();
        }
        List<?> items = value instanceof List<?> list ? list : List.of(value);
        List<String> result = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            if (items.get(i) instanceof String text && !text.isBlank()) {
                result.add(text.strip());
            } else {
                problems.add(Problem.error(value instanceof List<?> ? path + "[" + i + "]" : path,
                        "expected a string, got " + (items.get(i) == null ? "null" : items.get(i).toString())));
            }
        }
        return result;
    }

    private static boolean flag(Object value, String path, List<Problem> problems) {
        if (value == null) {
            return false;
        }
        if (value instanceof Boolean b) {
            return b;
        }
        problems.add(Problem.error(path, "expected true or false, got " + value));
        return false;
    }

    private static String at(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }
}
