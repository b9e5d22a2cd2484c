package org.ailtire.controller;

import com.fasterxml.jackson.core.type.TypeReference;
import com.github.dockerjava.api.DockerClient;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import org.ailtire.api.AdminServer;
import org.ailtire.dataplane.GatewayDataPlane;
import org.ailtire.definition.DefinitionFiles;
import org.ailtire.protocol.HttpParentChannel;
import org.ailtire.protocol.OriginalSidecarClient;
import org.ailtire.stack.ChildRegistry;
import org.ailtire.stack.DefinitionHistory;
import org.ailtire.stack.DefinitionVersion;
import org.ailtire.stack.Json;
import org.ailtire.stack.ParentLink;
import org.ailtire.stack.Registration;
import org.ailtire.stack.RegistryAuth;
import org.ailtire.stack.Update;
import org.ailtire.stack.UpdateEvent;
import org.ailtire.stack.UpdateRequest;
import org.ailtire.swarm.DockerClients;
import org.ailtire.swarm.history.ConfigHistory;
import org.ailtire.swarm.stack.SwarmStack;
import org.ailtire.swarm.topology.DefinitionFilesFile;
import org.ailtire.swarm.topology.RegistryAuthFile;
import org.ailtire.swarm.topology.StackPlace;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One stack's controller: the control plane on the admin port, the gateway on the gateway port, the stack on the
 * engine, and the link to the parent. At start it deploys (or adopts: unchanged services are left alone) the
 * definition it was given.
 */
public final class Controller implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Controller.class);
    static final Duration HEARTBEAT = Duration.ofSeconds(3);

    private final ControllerConfig config;
    private final Map<String, String> environment;
    private final ExecutorService background = Executors.newVirtualThreadPerTaskExecutor();
    private Vertx vertx;
    private DockerClient docker;
    private ChildRegistry registry;
    private SwarmStack stack;
    private AdminServer admin;
    private GatewayDataPlane gateway;
    private java.nio.file.Path gatewayRunDirectory;
    private ParentLink parentLink;
    private org.ailtire.protocol.OriginalChildren originalChildren;
    private OriginalSidecarClient originalParentLink;
    private final Runnable exitAfterShutdown;
    private ConfigHistory history;
    private String givenAuthFingerprint = "";
    private String givenFilesFingerprint = "";

    public Controller(ControllerConfig config, Map<String, String> environment) {
        this(config, environment, () -> { });
    }

    /**
     * @param exitAfterShutdown under an original parent, ends the process once its {@code GET /_admin/shutdown}
     *                          removed the stack (as the original sidecar exits)
     */
    public Controller(ControllerConfig config, Map<String, String> environment, Runnable exitAfterShutdown) {
        this.config = config;
        this.environment = environment;
        this.exitAfterShutdown = exitAfterShutdown;
    }

    /**
     * Starts the independent steps side by side: the engine client (docker-java, Jackson, httpclient5) loads and
     * initialises other classes than Vert.x does, and the first read of the engine's state runs while the control
     * plane and the gateway are built. The server listens only once that state is loaded, as before.
     *
     * @return the port the control plane listens on (the admin port)
     */
    public int start() throws Exception {
        CompletableFuture<DockerClient> connecting = CompletableFuture.supplyAsync(DockerClients::connect, background);
        vertx = Vertx.vertx(vertxOptions());
        registry = new ChildRegistry(Clock.systemUTC(), HEARTBEAT, 3);
        registry.start();
        docker = awaitStep(connecting);
        Optional<UpdateRequest> given = givenDefinition();
        ControllerParts parts = ControllerParts.wire(config, environment, vertx, docker, registry, background,
                given.map(this::digest).orElse(""), "0.0.0.0", exitAfterShutdown);
        history = parts.history();
        stack = parts.stack();
        gateway = parts.gateway();
        gatewayRunDirectory = parts.gatewayRunDirectory();
        admin = parts.admin();
        originalChildren = parts.originalChildren();
        CompletableFuture<Void> observing = CompletableFuture.runAsync(stack::startObserving, background);
        awaitStep(observing);
        int gatewayPort = gateway.start();
        // Routes follow the stack's definition and its children: rendered again on every status change.
        stack.watch(status -> gateway.refreshSoon());
        registry.addListener(gateway::refreshSoon);
        int port = admin.start().get();
        originalChildren.start();
        LOG.info("controller of {} serving on port {} (control plane and console), gateway on port {}",
                config.place().path(), port, gatewayPort);
        config.originalParent().ifPresentOrElse(original -> {
            // Under an original parent: it registers us once and polls our /_admin/status; nothing to send after.
            originalParentLink = new OriginalSidecarClient(new OriginalSidecarClient.Registration(
                    URI.create("http://" + config.parentHost().orElseThrow() + ":" + config.parentPort()),
                    original.stackName(), original.url(), original.serviceName()));
            originalParentLink.start();
        }, () -> config.parentHost().ifPresent(host -> {
            // The parent's control traffic (status, logs, updates, shutdown) comes to the admin port.
            String self = StackPlace.controllerUrl(config.stackName(), config.adminPort());
            parentLink = new ParentLink(new ParentLink.Settings(
                    new Registration(config.stackName(), self, config.stackName()), HEARTBEAT,
                    Duration.ofMillis(20), Duration.ofMillis(200), Duration.ofSeconds(5)),
                    new HttpParentChannel(URI.create("http://" + host + ":" + config.parentPort()), config.token()));
            stack.watch(parentLink::statusChanged);
            parentLink.start();
        }));
        deployAtStart(given);
        return port;
    }

    /**
     * One event loop: the JVM serves the control plane and the console only (HAProxy carries the application's
     * traffic), whose requests are small and whose streams are mostly idle. The worker pools grow a thread per
     * blocking task up to their size and keep it; the controller's blocking work (applying an update, serving view
     * files) is occasional, so a few threads do instead of Vert.x's 20 each.
     */
    static VertxOptions vertxOptions() {
        return new VertxOptions()
                .setPreferNativeTransport(true)
                .setEventLoopPoolSize(1)
                .setWorkerPoolSize(4)
                .setInternalBlockingPoolSize(4);
    }

    private static <T> T awaitStep(CompletableFuture<T> step) throws Exception {
        try {
            return step.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    public SwarmStack stack() {
        return stack;
    }

    /** The definition (and variables) the parent or the deploy command gave this controller, if any. */
    private Optional<UpdateRequest> givenDefinition() throws IOException {
        if (config.definitionFile().isEmpty()) {
            return Optional.empty();
        }
        String definition = Files.readString(config.definitionFile().get());
        Map<String, String> variables = config.environmentFile().isPresent()
                ? Json.MAPPER.readValue(Files.readString(config.environmentFile().get()), new TypeReference<Map<String, String>>() { })
                : Map.of();
        RegistryAuthFile.Content auth = config.registryAuthFile().isPresent()
                ? RegistryAuthFile.read(Files.readAllBytes(config.registryAuthFile().get()))
                : new RegistryAuthFile.Content(RegistryAuth.NONE, "");
        givenAuthFingerprint = auth.fingerprint();
        DefinitionFilesFile.Content files = config.filesFile().isPresent()
                ? DefinitionFilesFile.read(Files.readAllBytes(config.filesFile().get()))
                : new DefinitionFilesFile.Content(DefinitionFiles.NONE, "");
        givenFilesFingerprint = files.fingerprint();
        return Optional.of(new UpdateRequest(List.of(), variables, definition, auth.auth(), config.children().resolveImage(),
                files.files()));
    }

    /**
     * Counts the credentials and files in by their fingerprints (their secrets' names change with them), never their
     * text.
     */
    private String digest(UpdateRequest given) {
        try {
            return ConfigHistory.digest(given.definition() + "\0" + Json.MAPPER.writeValueAsString(new TreeMap<>(given.environment()))
                    + (givenAuthFingerprint.isEmpty() ? "" : "\0" + givenAuthFingerprint)
                    + (givenFilesFingerprint.isEmpty() ? "" : "\0files\0" + givenFilesFingerprint));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Applies what this stack should run: the version applied last when this controller was given the same
     * definition then (a restart: an update sent to this stack's own API since is not lost), otherwise the
     * definition given now (the parent changed it). Unchanged services are left alone either way.
     */
    private void deployAtStart(Optional<UpdateRequest> given) throws Exception {
        Optional<DefinitionVersion> current = Optional.empty();
        try {
            List<DefinitionVersion> kept = history.versions();
            for (DefinitionVersion version : kept) {
                stack.events().add(version.at(), version.actor(), "update",
                        version.outcome() == DefinitionVersion.Outcome.APPLIED ? "succeeded" : "failed",
                        "version " + version.version() + (version.message().isEmpty() ? "" : ": " + version.message()));
            }
            current = DefinitionHistory.current(kept);
        } catch (DefinitionHistory.HistoryException e) {
            LOG.warn("the definition history cannot be read; starting from the given definition: {}", e.getMessage());
        }
        String givenDigest = given.map(this::digest).orElse("");
        if (current.isPresent() && (given.isEmpty() || current.get().given().equals(givenDigest))) {
            int version = current.get().version();
            try {
                var update = stack.adopt(version, "controller start");
                LOG.info("adopting definition version {} (update {})", version, update.id());
                logOutcome(update, "adopting definition version " + version);
                return;
            } catch (DefinitionHistory.HistoryException e) {
                LOG.warn("definition version {} cannot be applied again ({}); using the given definition", version,
                        e.getMessage());
            }
        }
        if (given.isEmpty()) {
            stack.events().add("controller start", "start", "waiting", "no definition given");
            LOG.info("no definition given; waiting for an update");
            return;
        }
        var update = stack.update(given.get(), "controller start (given by the "
                + (config.parentHost().isPresent() ? "parent stack" : "deploy command") + ")");
        LOG.info("deploying the given definition (update {})", update.id());
        logOutcome(update, "deploying the given definition");
    }

    /**
     * Logs how the start's update ended: where nobody follows it (under an original parent the history API is
     * closed), a failed first deploy would otherwise show only as a stack without services.
     */
    private static void logOutcome(Update update, String what) {
        update.subscribe(new Update.Listener() {
            @Override
            public void event(UpdateEvent event) {
            }

            @Override
            public void finished(Update.View outcome) {
                if (outcome.state() == Update.State.SUCCEEDED) {
                    LOG.info("{} (update {}): succeeded in {} ms", what, outcome.id(),
                            Duration.between(outcome.startedAt(), outcome.finishedAt()).toMillis());
                } else {
                    LOG.error("{} (update {}) failed: {}", what, outcome.id(), outcome.error());
                }
            }
        });
    }

    /**
     * Under an original parent, on the stop signal its {@code docker stack rm} sends: removes the stack bottom-up
     * (child stacks first), waiting at most {@code bound}, so nothing is left running when this controller's service
     * is gone. Elsewhere the stack stays (a controller of ours restarts and adopts it).
     *
     * @return whether the stack was removed within the bound (true when there is nothing to remove)
     */
    public boolean removeStackOnStopSignal(Duration bound) {
        if (!config.underOriginalParent() || stack == null) {
            return true;
        }
        LOG.info("stop signal under the original parent: removing stack {}", config.place().namespace());
        try {
            stack.shutdown("stop signal").get(bound.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            LOG.error("stack {} not removed within {} s of the stop signal", config.place().namespace(),
                    bound.toSeconds());
        } catch (ExecutionException e) {
            LOG.error("removing stack {} on the stop signal failed", config.place().namespace(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }

    @Override
    public void close() {
        if (originalChildren != null) {
            originalChildren.close();
        }
        if (originalParentLink != null) {
            originalParentLink.close();
        }
        if (parentLink != null) {
            parentLink.close();
        }
        if (admin != null) {
            admin.close();
        }
        if (gateway != null) {
            gateway.close(); // stops HAProxy
            ControllerParts.removeRunDirectory(gatewayRunDirectory);
        }
        if (stack != null) {
            stack.close();
        }
        if (registry != null) {
            registry.close();
        }
        if (vertx != null) {
            vertx.close();
        }
        background.shutdownNow();
    }
}
