package org.ailtire.swarm.topology;

import org.ailtire.policy.DefinitionPolicy;
import org.ailtire.stack.ImageResolution;
import org.ailtire.swarm.drift.DriftMode;
import org.ailtire.view.FrameAncestors;

/**
 * How child stack controllers are run.
 *
 * @param image           the controller image (built locally as {@code ailtire/controller:local})
 * @param adminPort       the port every controller serves its control plane and console on
 *                        ({@code AILTIRE_STACKADMINPORT}); parents and children talk to each other here
 * @param gatewayPort     the port every controller's gateway listens on ({@code AILTIRE_STACKGATEWAYPORT}): the
 *                        application's traffic, and the port a parent's gateway forwards to a child's
 * @param tokenSecret     engine name of the secret holding the application tree's token
 * @param endpointMode    the {@code AILTIRE_ENDPOINT_MODE} children inherit
 * @param dockerSocket    the engine socket on the nodes, mounted into controllers
 * @param resolveImage    how the tree pins images to digests ({@code AILTIRE_RESOLVE_IMAGE}), set at deploy; children
 *                        inherit it. An adoption or rollback pins its own stack's images with {@code changed} but
 *                        hands its children this, so they are not rolled by it.
 * @param drift           what controllers do when their stack drifted ({@code AILTIRE_DRIFT}); children inherit it
 * @param policy          what the stack's definitions may do beyond ordinary services ({@code AILTIRE_POLICY}), set
 *                        at deploy; each child gets it narrowed by its parent's definition, never widened
 * @param consoleFrameAncestors who may frame the consoles ({@code AILTIRE_CONSOLE_FRAME_ANCESTORS}, a CSP source
 *                        list, see {@link FrameAncestors}), set at deploy; children inherit it
 * @param encryptControlNetworks whether the networks between a parent's and its children's controllers (which the
 *                        token crosses) are encrypted overlays ({@code AILTIRE_ENCRYPT_CONTROL_NETWORKS}), set at
 *                        deploy; children inherit it
 * @param metricsTokenHash the SHA-256 (hex) of the token that opens every controller's {@code /metrics} and nothing
 *                        else ({@code AILTIRE_METRICS_TOKEN_SHA256}), set at deploy; children inherit it; {@code ""}
 *                        for none
 */
public record ControllerSettings(String image, int adminPort, int gatewayPort, String tokenSecret, String endpointMode,
                                 String dockerSocket, ImageResolution resolveImage, DriftMode drift,
                                 DefinitionPolicy policy, String consoleFrameAncestors,
                                 boolean encryptControlNetworks, String metricsTokenHash) {
    /** The variable that carries {@link #encryptControlNetworks} to every controller. */
    public static final String ENCRYPT_CONTROL_NETWORKS = "AILTIRE_ENCRYPT_CONTROL_NETWORKS";
    public static final String DEFINITION_FILE = "/run/ailtire/definition.yml";
    /** The variables the controller's definition is interpolated with (JSON), a secret: they may hold passwords. */
    public static final String ENVIRONMENT_FILE = "/run/secrets/ailtire_environment";
    public static final String TOKEN_FILE = "/run/secrets/ailtire_token";
    public static final String REGISTRY_AUTH_FILE = "/run/secrets/ailtire_registry_auth";
    public static final String FILES_FILE = "/run/secrets/ailtire_files";
    /** The top controller's certificate and key (PEM), when the application is deployed with TLS. */
    public static final String TLS_FILE = "/run/secrets/ailtire_tls";
    /** The plain HTTP port in the top controller's container that redirects to https (with --https-redirect). */
    public static final int DEFAULT_REDIRECT_PORT = 8082;
    public static final String DEFAULT_IMAGE = "ailtire/controller:local";
    /** The admin port in the controller's container (and the host port deploy publishes it on by default). */
    public static final int DEFAULT_ADMIN_PORT = 8081;
    /** The gateway port in the controller's container (and the host port deploy publishes it on by default). */
    public static final int DEFAULT_GATEWAY_PORT = 8080;

    public ControllerSettings {
        java.util.Objects.requireNonNull(drift, "drift");
        java.util.Objects.requireNonNull(policy, "policy");
        consoleFrameAncestors = FrameAncestors.parse(consoleFrameAncestors);
        metricsTokenHash = metricsTokenHash == null ? "" : metricsTokenHash;
    }

    /** Settings without a metrics token. */
    public ControllerSettings(String image, int adminPort, int gatewayPort, String tokenSecret, String endpointMode,
                              String dockerSocket, ImageResolution resolveImage, DriftMode drift,
                              DefinitionPolicy policy, String consoleFrameAncestors, boolean encryptControlNetworks) {
        this(image, adminPort, gatewayPort, tokenSecret, endpointMode, dockerSocket, resolveImage, drift, policy,
                consoleFrameAncestors, encryptControlNetworks, "");
    }

    /** These settings with the metrics token of this SHA-256 (hex; {@code ""} for none). */
    public ControllerSettings withMetricsTokenHash(String hash) {
        return new ControllerSettings(image, adminPort, gatewayPort, tokenSecret, endpointMode, dockerSocket,
                resolveImage, drift, policy, consoleFrameAncestors, encryptControlNetworks, hash);
    }

    /** Settings whose control networks are plain overlays. */
    public ControllerSettings(String image, int adminPort, int gatewayPort, String tokenSecret, String endpointMode,
                              String dockerSocket, ImageResolution resolveImage, DriftMode drift,
                              DefinitionPolicy policy, String consoleFrameAncestors) {
        this(image, adminPort, gatewayPort, tokenSecret, endpointMode, dockerSocket, resolveImage, drift, policy,
                consoleFrameAncestors, false);
    }

    /** Settings whose consoles may be framed by their own origin only. */
    public ControllerSettings(String image, int adminPort, int gatewayPort, String tokenSecret, String endpointMode,
                              String dockerSocket, ImageResolution resolveImage, DriftMode drift,
                              DefinitionPolicy policy) {
        this(image, adminPort, gatewayPort, tokenSecret, endpointMode, dockerSocket, resolveImage, drift, policy,
                FrameAncestors.DEFAULT);
    }

    /** Settings with the default policy, which denies (see {@link DefinitionPolicy#DENY}). */
    public ControllerSettings(String image, int adminPort, int gatewayPort, String tokenSecret, String endpointMode,
                              String dockerSocket, ImageResolution resolveImage, DriftMode drift) {
        this(image, adminPort, gatewayPort, tokenSecret, endpointMode, dockerSocket, resolveImage, drift,
                DefinitionPolicy.DENY);
    }

    /** Settings whose controllers repair drift (the default). */
    public ControllerSettings(String image, int adminPort, int gatewayPort, String tokenSecret, String endpointMode,
                              String dockerSocket, ImageResolution resolveImage) {
        this(image, adminPort, gatewayPort, tokenSecret, endpointMode, dockerSocket, resolveImage, DriftMode.REPAIR);
    }
}
