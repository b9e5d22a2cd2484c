package org.ailtire.controller;

import org.ailtire.definition.Problem;
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
                               Optional<Path> registryAuthFile, Optional<Path> filesFile) {
    /** How many definition versions a stack keeps by default (AILTIRE_HISTORY_KEEP). */
    public static final int DEFAULT_HISTORY_KEEP = 20;
    static final int MAX_HISTORY_KEEP = 1000;
    static final int MIN_TASK_RESYNC_MS = 100;
    static final int MAX_TASK_RESYNC_MS = 60_000;

    /** Without files given (see {@code AILTIRE_FILES_FILE}). */
    public ControllerConfig(StackPlace place, int adminPort, int gatewayPort, Optional<String> parentHost,
                            int parentPort, String token, ControllerSettings children, Optional<Path> definitionFile,
                            Optional<Path> environmentFile, int historyKeep, TaskResync taskResync,
                            Optional<Path> registryAuthFile) {
        this(place, adminPort, gatewayPort, parentHost, parentPort, token, children, definitionFile, environmentFile,
                historyKeep, taskResync, registryAuthFile, Optional.empty());
    }

    public static ControllerConfig fromEnvironment(Map<String, String> env) {
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
                drift(env), policy(env), consoleFrameAncestors(env), encryptControlNetworks(env));
        return new ControllerConfig(new StackPlace(app, namespace, stackPath, service), adminPort, gatewayPort,
                Optional.ofNullable(env.get("AILTIRE_PARENTHOST")).filter(h -> !h.isBlank()),
                port(env, "AILTIRE_PARENTPORT", adminPort), token, children,
                existing(env.get("AILTIRE_DEFINITION_FILE")), existing(env.get("AILTIRE_ENVIRONMENT_FILE")),
                historyKeep(env), taskResync(env), existing(env.get("AILTIRE_REGISTRY_AUTH_FILE")),
                existing(env.get("AILTIRE_FILES_FILE")));
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
