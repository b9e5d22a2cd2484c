package org.ailtire.controller;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * Compatibility mode: this stack runs under an original (Node.js) ailtire parent, which knows only the original
 * sidecar's variables and protocol (see {@code docs} and {@link org.ailtire.protocol.OriginalSidecarClient}).
 *
 * @param stackName      {@code AILTIRE_STACKNAME}: the stack's engine namespace and the name it registers under
 * @param serviceName    {@code AILTIRE_SERVICENAME}: the service name it registers (sent with the original's
 *                       {@code /test} suffix)
 * @param advertisedHost {@code HOSTNAME}: the host the parent reaches this controller by, as the original advertises
 * @param adminPort      the port the parent polls ({@code AILTIRE_STACKADMINPORT})
 */
public record OriginalParent(String stackName, String serviceName, String advertisedHost, int adminPort) {
    public static final String MODE_VARIABLE = "AILTIRE_COMPATIBILITY";
    public static final String MODE = "original";
    /** Where the original bakes its definition into its image; ours reads it there unless told otherwise. */
    public static final String DEFAULT_DEFINITION_FILE = "/app/docker-compose.yml";
    /** The original's default for its own and its parent's admin port. */
    public static final int DEFAULT_PORT = 3000;
    public static final String DEFAULT_SERVICE_NAME = "service";
    /** The variables only a tree of ours sets; with them the stack is not under an original parent. */
    static final List<String> OWN_TREE_VARIABLES = List.of("AILTIRE_STACK_PATH", "AILTIRE_NAMESPACE",
            "AILTIRE_CONTROLLER_SERVICE", "AILTIRE_TOKEN_SECRET", "AILTIRE_TOKEN_FILE");

    public OriginalParent {
        Objects.requireNonNull(stackName, "stackName");
        Objects.requireNonNull(serviceName, "serviceName");
        Objects.requireNonNull(advertisedHost, "advertisedHost");
    }

    /** The original's address for a child: host and port, no scheme. */
    public String url() {
        return advertisedHost + ":" + adminPort;
    }

    /**
     * The engine service that runs this controller: an original parent names a child stack
     * {@code {{.Service.Name}}-{{.Task.Slot}}}, so it is the stack name without its slot.
     */
    static String controllerService(String stackName) {
        return stackName.replaceFirst("-[0-9]+$", "");
    }

    /** A token for this run only, told to nobody: {@code /api/v1} stays closed under an original parent. */
    static String unsharedToken() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
