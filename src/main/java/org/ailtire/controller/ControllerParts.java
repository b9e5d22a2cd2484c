package org.ailtire.controller;

import com.github.dockerjava.api.DockerClient;
import io.vertx.core.Vertx;
import org.ailtire.api.AdminServer;
import org.ailtire.api.OriginalAdmin;
import org.ailtire.api.ServerSettings;
import org.ailtire.dataplane.DataPlaneSettings;
import org.ailtire.dataplane.GatewayDataPlane;
import org.ailtire.dataplane.HaproxyConfig;
import org.ailtire.dataplane.HaproxySupervisor;
import org.ailtire.dataplane.StackTargets;
import org.ailtire.gateway.RouteTable;
import org.ailtire.metrics.HaproxyExporter;
import org.ailtire.metrics.MetricsToken;
import org.ailtire.metrics.StackMetrics;
import org.ailtire.protocol.ChildProtocols;
import org.ailtire.protocol.HttpChildCommands;
import org.ailtire.protocol.HttpChildLogs;
import org.ailtire.protocol.OriginalChildren;
import org.ailtire.protocol.OriginalSidecarClient;
import org.ailtire.stack.ChildRegistry;
import org.ailtire.stack.StackToken;
import org.ailtire.swarm.apply.ApplyOptions;
import org.ailtire.swarm.convert.NetworkingDefaults;
import org.ailtire.swarm.history.ConfigHistory;
import org.ailtire.swarm.stack.SwarmStack;
import org.ailtire.swarm.tls.GatewayCertificates;
import org.ailtire.swarm.webhook.ConfigWebhookSecrets;
import org.ailtire.tls.GatewayCertificate;
import org.ailtire.webhook.Webhook;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;

/**
 * A controller's parts, wired in this one place: the definition history, the stack on the engine, the gateway's
 * data plane (HAProxy) on the gateway port and the control plane's listener on the admin port. {@link Controller} starts them;
 * {@link CdsTraining} walks the same path without an engine.
 */
record ControllerParts(ConfigHistory history, SwarmStack stack, GatewayDataPlane gateway, AdminServer admin,
                       Path gatewayRunDirectory, OriginalChildren originalChildren) {
    /** How long a stack waits for each child stack to confirm its shutdown. */
    static final Duration CHILD_SHUTDOWN_TIMEOUT = Duration.ofSeconds(90);
    /** How long each call to an original child stack (a status poll, its logs) may take. */
    static final Duration ORIGINAL_CHILD_TIMEOUT = Duration.ofSeconds(5);

    /**
     * @param givenDigest digest of the definition the controller was given ({@code ""} for none), for the history
     * @param bindHost    the address the control plane and the gateway listen on
     */
    static ControllerParts wire(ControllerConfig config, Map<String, String> environment, Vertx vertx,
                                DockerClient docker, ChildRegistry registry, ExecutorService background,
                                String givenDigest, String bindHost) {
        return wire(config, environment, vertx, docker, registry, background, givenDigest, bindHost, () -> { });
    }

    /** @param exitAfterShutdown under an original parent, ends the process after its {@code /_admin/shutdown} */
    static ControllerParts wire(ControllerConfig config, Map<String, String> environment, Vertx vertx,
                                DockerClient docker, ChildRegistry registry, ExecutorService background,
                                String givenDigest, String bindHost, Runnable exitAfterShutdown) {
        Clock clock = Clock.systemUTC();
        // This stack's own token: it opens this controller's API, and its children's are derived from it.
        StackToken token = StackToken.of(config.token());
        ConfigHistory history = new ConfigHistory(docker, config.place(), config.token(), givenDigest,
                config.historyKeep(), clock);
        // Child stacks of ours and original ones, each asked in its own protocol; original ones are polled.
        OriginalChildren originalChildren = new OriginalChildren(registry,
                new OriginalSidecarClient(ORIGINAL_CHILD_TIMEOUT), OriginalChildren.POLL_EVERY, clock);
        ChildProtocols children = new ChildProtocols(new HttpChildCommands(token, Duration.ofMillis(500)),
                new HttpChildLogs(token), originalChildren);
        SwarmStack stack = new SwarmStack(config.place(), docker, config.children(),
                NetworkingDefaults.detect(environment), ApplyOptions.DEFAULT, config.taskResync(), registry,
                children, children, clock, background, CHILD_SHUTDOWN_TIMEOUT, history, token,
                originalChildren::namespaces);
        // Behind a parent's gateway the X-Forwarded-* headers come from that gateway; at the top, from clients.
        RouteTable routes = new RouteTable(stack::routes);
        // A child stack's routed traffic goes to its gateway port (its control traffic to its admin port).
        Path runDirectory = gatewayRunDirectory(environment);
        DataPlaneSettings dataPlane = DataPlaneSettings.defaults(bindHost, config.gatewayPort(),
                config.parentHost().isPresent(), runDirectory).withMetricsPort(freeLoopbackPort());
        if (config.parentHost().isEmpty()) {
            dataPlane = GatewayTlsFile.fromEnvironment(environment, runDirectory).map(dataPlane::withTls)
                    .orElse(dataPlane);
        }
        GatewayDataPlane gateway = new GatewayDataPlane(routes,
                new StackTargets(stack::routes, registry, config.children().gatewayPort()), dataPlane,
                HaproxySupervisor.defaultBinary(environment));
        GatewayCertificate certificate = dataPlane.tls()
                .<GatewayCertificate>map(tls -> TopGatewayCertificate.open(tls.pemFile(), gateway,
                        new GatewayCertificates(docker, config.place().namespace(), config.token(), clock)))
                .orElse(GatewayCertificate.NONE);
        Optional<OriginalAdmin> original = config.originalParent().map(parent ->
                new OriginalAdmin(parent.stackName(), config.children().gatewayPort(), exitAfterShutdown));
        StackMetrics metrics = new StackMetrics(stack, config.place().path(), clock,
                new HaproxyExporter(dataPlane.metricsPort(), config.place().path(), HaproxyConfig.EXPORTER_FRONTEND));
        AdminServer admin = new AdminServer(vertx, stack, ServerSettings.of(bindHost, config.adminPort(), config.token()),
                routes, certificate, original, metrics, MetricsToken.fromEnvironment(environment),
                new Webhook(new ConfigWebhookSecrets(docker, config.place().namespace(), config.token()), clock));
        return new ControllerParts(history, stack, gateway, admin, runDirectory, originalChildren);
    }

    /**
     * A port on 127.0.0.1 free now, for HAProxy's exporter: one controller per container, but several in one process
     * in tests.
     */
    static int freeLoopbackPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on 127.0.0.1 for the gateway's exporter", e);
        }
    }

    /**
     * A directory of its own for HAProxy's configuration and sockets: under /run/ailtire (memory, in the controller's
     * container) or AILTIRE_RUN_DIR, else a temporary one (a controller run in process, where /run is not writable).
     */
    static Path gatewayRunDirectory(Map<String, String> environment) {
        try {
            Path base = Path.of(environment.getOrDefault("AILTIRE_RUN_DIR", "/run/ailtire"));
            try {
                Files.createDirectories(base);
                return Files.createTempDirectory(base, "haproxy-");
            } catch (IOException | SecurityException notWritable) {
                return Files.createTempDirectory("ailtire-haproxy-");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("no directory for the gateway's HAProxy", e);
        }
    }

    /** Removes what the data plane left in its directory (its configuration and maps). */
    static void removeRunDirectory(Path directory) {
        try (var files = Files.walk(directory)) {
            for (Path path : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            // Left for the container's end (memory) or the temporary directory's cleaner.
        }
    }
}
