package org.ailtire.controller;

import org.ailtire.definition.Problem;
import org.ailtire.metrics.MetricsToken;
import org.ailtire.policy.DefinitionPolicy;
import org.ailtire.stack.Json;
import org.ailtire.swarm.observe.TaskResync;
import org.ailtire.stack.ImageResolution;
import org.ailtire.swarm.drift.DriftMode;
import org.ailtire.view.FrameAncestors;
import org.ailtire.swarm.topology.ControllerSettings;
import org.ailtire.swarm.topology.StackPlace;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A controller's configuration, from the environment its parent (or the deploy command) gives it. The original
 * sidecar's variables keep their names; the rest are ailtire-swarm's own.
 *
 * @param adminPort   where the control plane and the console listen ({@code AILTIRE_STACKADMINPORT})
 * @param gatewayPort where the gateway listens ({@code AILTIRE_STACKGATEWAYPORT}), never the admin port
 * @param parentPort  the parent's admin port ({@code AILTIRE_PARENTPORT})
 */
public record ControllerConfig(StackPlace place, int adminPort, int gatewayPort, Optional<String> parentHost,
                               int parentPort,
                               String token, ControllerSettings children, Optional<Path> definitionFile,
                               Optional<Path> environmentFile, int historyKeep, TaskResync taskResync,
                               Optional<Path> registryAuthFile, Optional<Path> filesFile,
                               Optional<OriginalParent> originalParent) {
    /** How many definition versions a stack keeps by default (AILTIRE_HISTORY_KEEP). */
    public static final int DEFAULT_HISTORY_KEEP = 20;
    static final int MAX_HISTORY_KEEP = 1000;
    static final int MIN_TASK_RESYNC_MS = 100;
    static final int MAX_TASK_RESYNC_MS = 60_000;

    /** Under a parent of our own (or none): not in compatibility mode. */
    public ControllerConfig(StackPlace place, int adminPort, int gatewayPort, Optional<String> parentHost,
                            int parentPort, String token, ControllerSettings children, Optional<Path> definitionFile,
                            Optional<Path> environmentFile, int historyKeep, TaskResync taskResync,
                            Optional<Path> registryAuthFile, Optional<Path> filesFile) {
        this(place, adminPort, gatewayPort, parentHost, parentPort, token, children, definitionFile, environmentFile,
                historyKeep, taskResync, registryAuthFile, filesFile, Optional.empty());
    }

    /** Without files given (see {@code AILTIRE_FILES_FILE}). */
    public ControllerConfig(StackPlace place, int adminPort, int gatewayPort, Optional<String> parentHost,
                            int parentPort, String token, ControllerSettings children, Optional<Path> definitionFile,
                            Optional<Path> environmentFile, int historyKeep, TaskResync taskResync,
                            Optional<Path> registryAuthFile) {
        this(place, adminPort, gatewayPort, parentHost, parentPort, token, children, definitionFile, environmentFile,
                historyKeep, taskResync, registryAuthFile, Optional.empty());
    }

    /**
     * The configuration from the environment: ours (a parent of ours or the deploy command sets it), or, with
     * {@code AILTIRE_COMPATIBILITY=original}, the original sidecar's variables an original ailtire parent sets.
     */
    public static ControllerConfig fromEnvironment(Map<String, String> env) {
        String compatibility = env.getOrDefault(OriginalParent.MODE_VARIABLE, "").strip();
        if (compatibility.equals(OriginalParent.MODE)) {
            return underOriginalParent(env);
        }
        if (!compatibility.isEmpty()) {
            throw new IllegalArgumentException(OriginalParent.MODE_VARIABLE + ": expected \"" + OriginalParent.MODE
                    + "\" (under an original ailtire parent) or unset, got \"" + compatibility + "\"");
        }
        List<String> missing = new ArrayList<>();
        String app = required(env, "AILTIRE_APPNAME", missing);
        String stackPath = required(env, "AILTIRE_STACK_PATH", missing);
        String namespace = required(env, "AILTIRE_NAMESPACE", missing);
        String service = required(env, "AILTIRE_CONTROLLER_SERVICE", missing);
        String tokenFile = env.getOrDefault("AILTIRE_TOKEN_FILE", ControllerSettings.TOKEN_FILE);
        String tokenSecret = required(env, "AILTIRE_TOKEN_SECRET", missing);
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("the controller needs these environment variables (the parent stack or "
                    + "the deploy command sets them): " + String.join(", ", missing));
        }
        int adminPort = port(env, "AILTIRE_STACKADMINPORT", ControllerSettings.DEFAULT_ADMIN_PORT);
        int gatewayPort = port(env, "AILTIRE_STACKGATEWAYPORT", ControllerSettings.DEFAULT_GATEWAY_PORT);
        if (adminPort == gatewayPort) {
            throw new IllegalArgumentException("AILTIRE_STACKGATEWAYPORT: the gateway needs a port of its own, not the"
                    + " admin port (AILTIRE_STACKADMINPORT) " + adminPort);
        }
        String token;
        try {
            token = Files.readString(Path.of(tokenFile), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the application's token from " + tokenFile + ": " + e.getMessage());
        }
        if (token.length() < 16) {
            throw new IllegalArgumentException("the token in " + tokenFile + " is too short (16 characters at least)");
        }
        ControllerSettings children = new ControllerSettings(
                env.getOrDefault("AILTIRE_CONTROLLER_IMAGE", ControllerSettings.DEFAULT_IMAGE), adminPort, gatewayPort,
                tokenSecret,
                env.getOrDefault("AILTIRE_ENDPOINT_MODE", "auto"), "/var/run/docker.sock", resolveImage(env),
                drift(env), policy(env), consoleFrameAncestors(env), encryptControlNetworks(env))
                .withMetricsTokenHash(metricsTokenHash(env));
        return new ControllerConfig(new StackPlace(app, namespace, stackPath, service), adminPort, gatewayPort,
                Optional.ofNullable(env.get("AILTIRE_PARENTHOST")).filter(h -> !h.isBlank()),
                port(env, "AILTIRE_PARENTPORT", adminPort), token, children,
                existing(env.get("AILTIRE_DEFINITION_FILE")), existing(env.get("AILTIRE_ENVIRONMENT_FILE")),
                historyKeep(env), taskResync(env), existing(env.get("AILTIRE_REGISTRY_AUTH_FILE")),
                existing(env.get("AILTIRE_FILES_FILE")));
    }

    /**
     * Compatibility mode: the stack runs under an original ailtire parent, which gives only its own variables and
     * no token. The namespace is AILTIRE_STACKNAME; the definition is a file (AILTIRE_DEFINITION_FILE, else the
     * one baked into the image at {@link OriginalParent#DEFAULT_DEFINITION_FILE}); the control plane's token is
     * made up at start and told to nobody, so {@code /api/v1} stays closed and only the original's
     * {@code /_admin} routes answer.
     */
    private static ControllerConfig underOriginalParent(Map<String, String> env) {
        List<String> ours = OriginalParent.OWN_TREE_VARIABLES.stream()
                .filter(name -> env.get(name) != null && !env.get(name).isBlank()).toList();
        if (!ours.isEmpty()) {
            throw new IllegalArgumentException(OriginalParent.MODE_VARIABLE + "=" + OriginalParent.MODE
                    + " runs the stack under an original ailtire parent, from the original's variables only; these"
                    + " belong to a tree of ours and cannot be mixed with it: " + String.join(", ", ours));
        }
        List<String> missing = new ArrayList<>();
        String app = required(env, "AILTIRE_APPNAME", missing);
        String stackName = required(env, "AILTIRE_STACKNAME", missing);
        String parentHost = required(env, "AILTIRE_PARENTHOST", missing);
        String advertisedHost = required(env, "HOSTNAME", missing);
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("under an original ailtire parent (" + OriginalParent.MODE_VARIABLE + "="
                    + OriginalParent.MODE + ") the controller needs these environment variables: "
                    + String.join(", ", missing));
        }
        String namespace = stackName.strip();
        if (!namespace.matches("[a-zA-Z0-9][a-zA-Z0-9_.-]*")) {
            throw new IllegalArgumentException("AILTIRE_STACKNAME: expected a stack name (letters, digits, '_', '.',"
                    + " '-'), got \"" + stackName + "\"");
        }
        Path definition = Path.of(env.getOrDefault("AILTIRE_DEFINITION_FILE", OriginalParent.DEFAULT_DEFINITION_FILE));
        if (!Files.isRegularFile(definition)) {
            throw new IllegalArgumentException("AILTIRE_DEFINITION_FILE: the stack's definition " + definition
                    + " is not a file (under an original parent the definition comes as a file in the image or"
                    + " mounted)");
        }
        int adminPort = port(env, "AILTIRE_STACKADMINPORT", OriginalParent.DEFAULT_PORT);
        int gatewayPort = port(env, "AILTIRE_STACKGATEWAYPORT", adminPort == ControllerSettings.DEFAULT_GATEWAY_PORT
                ? ControllerSettings.DEFAULT_ADMIN_PORT : ControllerSettings.DEFAULT_GATEWAY_PORT);
        if (adminPort == gatewayPort) {
            throw new IllegalArgumentException("AILTIRE_STACKGATEWAYPORT: the gateway needs a port of its own, not the"
                    + " admin port (AILTIRE_STACKADMINPORT) " + adminPort);
        }
        ControllerSettings children = new ControllerSettings(
                env.getOrDefault("AILTIRE_CONTROLLER_IMAGE", ControllerSettings.DEFAULT_IMAGE), adminPort, gatewayPort,
                namespace + "_ailtire-token",
                env.getOrDefault("AILTIRE_ENDPOINT_MODE", "auto"), "/var/run/docker.sock", resolveImage(env),
                drift(env), policy(env), consoleFrameAncestors(env), encryptControlNetworks(env))
                .withMetricsTokenHash(metricsTokenHash(env));
        OriginalParent original = new OriginalParent(namespace,
                env.getOrDefault("AILTIRE_SERVICENAME", OriginalParent.DEFAULT_SERVICE_NAME).strip(),
                advertisedHost.strip(), adminPort);
        return new ControllerConfig(new StackPlace(app.strip(), namespace, "/" + namespace,
                OriginalParent.controllerService(namespace)), adminPort, gatewayPort,
                Optional.of(parentHost.strip()), port(env, "AILTIRE_PARENTPORT", OriginalParent.DEFAULT_PORT),
                OriginalParent.unsharedToken(), children, Optional.of(definition),
                existing(env.get("AILTIRE_ENVIRONMENT_FILE")), historyKeep(env), taskResync(env),
                existing(env.get("AILTIRE_REGISTRY_AUTH_FILE")), existing(env.get("AILTIRE_FILES_FILE")),
                Optional.of(original));
    }

    /** Whether this controller runs under an original ailtire parent (compatibility mode). */
    public boolean underOriginalParent() {
        return originalParent.isPresent();
    }

    /**
     * AILTIRE_TASK_RESYNC_MS: how often the tasks of services on other nodes are read while they are settled (they
     * are read every 250 ms at most while one is between states).
     */
    private static TaskResync taskResync(Map<String, String> env) {
        String value = env.get("AILTIRE_TASK_RESYNC_MS");
        if (value == null || value.isBlank()) {
            return TaskResync.DEFAULT;
        }
        try {
            int ms = Integer.parseInt(value.strip());
            if (ms < MIN_TASK_RESYNC_MS || ms > MAX_TASK_RESYNC_MS) {
                throw new NumberFormatException();
            }
            Duration steady = Duration.ofMillis(ms);
            Duration transition = TaskResync.DEFAULT.transition();
            return new TaskResync(steady, steady.compareTo(transition) < 0 ? steady : transition);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("AILTIRE_TASK_RESYNC_MS: expected milliseconds, " + MIN_TASK_RESYNC_MS
                    + " to " + MAX_TASK_RESYNC_MS + ", got \"" + value + "\"");
        }
    }

    private static ImageResolution resolveImage(Map<String, String> env) {
        String value = env.get("AILTIRE_RESOLVE_IMAGE");
        try {
            return value == null || value.isBlank() ? ImageResolution.ALWAYS : ImageResolution.parse(value.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("AILTIRE_RESOLVE_IMAGE: " + e.getMessage());
        }
    }

    /**
     * AILTIRE_METRICS_TOKEN_SHA256: the SHA-256 (hex) of the token that opens {@code /metrics} only; {@code ""} when
     * unset. Inherited by child stacks.
     */
    public static String metricsTokenHash(Map<String, String> env) {
        String hash = env.getOrDefault(MetricsToken.HASH_VARIABLE, "").strip().toLowerCase(java.util.Locale.ROOT);
        if (!hash.isEmpty()) {
            MetricsToken.ofHash(hash); // a bad value is refused here, naming the variable
        }
        return hash;
    }

    /**
     * AILTIRE_CONSOLE_FRAME_ANCESTORS: who may frame the consoles (a CSP source list), {@code 'self'} when unset;
     * inherited by child stacks.
     */
    public static String consoleFrameAncestors(Map<String, String> env) {
        String value = env.get(FrameAncestors.VARIABLE);
        try {
            return value == null || value.isBlank() ? FrameAncestors.DEFAULT : FrameAncestors.parse(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(FrameAncestors.VARIABLE + ": " + e.getMessage());
        }
    }

    /**
     * AILTIRE_ENCRYPT_CONTROL_NETWORKS: {@code true} makes the networks between controllers encrypted overlays;
     * {@code false} or unset, plain ones. Inherited by child stacks.
     */
    public static boolean encryptControlNetworks(Map<String, String> env) {
        String value = env.getOrDefault(ControllerSettings.ENCRYPT_CONTROL_NETWORKS, "").strip();
        return switch (value) {
            case "", "false" -> false;
            case "true" -> true;
            default -> throw new IllegalArgumentException(ControllerSettings.ENCRYPT_CONTROL_NETWORKS
                    + ": expected true or false, got \"" + value + "\"");
        };
    }

    /** AILTIRE_DRIFT: {@code repair} (the default) or {@code report}; inherited by child stacks. */
    static DriftMode drift(Map<String, String> env) {
        String value = env.get("AILTIRE_DRIFT");
        try {
            return value == null || value.isBlank() ? DriftMode.REPAIR : DriftMode.parse(value.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("AILTIRE_DRIFT: " + e.getMessage());
        }
    }

    /**
     * AILTIRE_POLICY: the tree's definition policy as JSON (the keys of a policy file), set by the deploy command or
     * the parent; unset, the default policy denies.
     */
    static DefinitionPolicy policy(Map<String, String> env) {
        String value = env.get("AILTIRE_POLICY");
        if (value == null || value.isBlank()) {
            return DefinitionPolicy.DENY;
        }
        List<Problem> problems = new ArrayList<>();
        DefinitionPolicy policy;
        try {
            policy = DefinitionPolicy.read(Json.MAPPER.readValue(value, Object.class), "", problems);
        } catch (IOException e) {
            throw new IllegalArgumentException("AILTIRE_POLICY: expected a JSON object: " + e.getMessage());
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("AILTIRE_POLICY: " + problems.stream().map(Problem::toString)
                    .collect(java.util.stream.Collectors.joining("; ")));
        }
        return policy;
    }

    private static int historyKeep(Map<String, String> env) {
        String value = env.get("AILTIRE_HISTORY_KEEP");
        if (value == null || value.isBlank()) {
            return DEFAULT_HISTORY_KEEP;
        }
        try {
            int keep = Integer.parseInt(value.strip());
            if (keep < 1 || keep > MAX_HISTORY_KEEP) {
                throw new NumberFormatException();
            }
            return keep;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("AILTIRE_HISTORY_KEEP: expected how many definition versions to keep, "
                    + "1 to " + MAX_HISTORY_KEEP + ", got \"" + value + "\"");
        }
    }

    /** The name this stack has in its parent's status tree (the last part of its path). */
    public String stackName() {
        return place.path().substring(place.path().lastIndexOf('/') + 1);
    }

    private static String required(Map<String, String> env, String name, List<String> missing) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            missing.add(name);
        }
        return value;
    }

    /** The port a variable names, {@code fallback} when it is unset; anything but 1-65535 is refused with its name. */
    static int port(Map<String, String> env, String name, int fallback) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            int port = Integer.parseInt(value.strip());
            if (port < 1 || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + ": expected a port number, got \"" + value + "\"");
        }
    }

    private static Optional<Path> existing(String file) {
        return Optional.ofNullable(file).map(Path::of).filter(Files::isRegularFile);
    }
}
