package org.ailtire.controller;

import com.fasterxml.jackson.core.type.TypeReference;
import com.github.dockerjava.api.DockerClient;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import org.ailtire.api.ControlPlaneServer;
import org.ailtire.api.ServerSettings;
import org.ailtire.gateway.Gateway;
import org.ailtire.gateway.GatewaySettings;
import org.ailtire.gateway.RouteTable;
import org.ailtire.gateway.StackTargets;
import org.ailtire.stack.ChildRegistry;
import org.ailtire.stack.HttpChildCommands;
import org.ailtire.stack.Json;
import org.ailtire.stack.ParentLink;
import org.ailtire.stack.Registration;
import org.ailtire.stack.UpdateRequest;
import org.ailtire.swarm.DockerClients;
import org.ailtire.swarm.apply.ApplyOptions;
import org.ailtire.swarm.convert.NetworkingDefaults;
import org.ailtire.swarm.stack.HttpChildLogs;
import org.ailtire.swarm.stack.SwarmStack;
import org.ailtire.swarm.topology.StackPlace;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * One stack's controller: the control plane server, the stack on the engine, and the link to the parent. At start
 * it deploys (or adopts: unchanged services are left alone) the definition it was given.
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
    private ControlPlaneServer server;
    private Gateway gateway;
    private ParentLink parentLink;

    public Controller(ControllerConfig config, Map<String, String> environment) {
        this.config = config;
        this.environment = environment;
    }

    /** @return the port the control plane listens on */
    public int start() throws Exception {
        docker = DockerClients.connect();
        // Native epoll where Netty has it (Linux x86_64), else NIO: the gateway costs less CPU per request on it.
        vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
        registry = new ChildRegistry(Clock.systemUTC(), HEARTBEAT, 3);
        registry.start();
        stack = new SwarmStack(config.place(), docker, config.children(), NetworkingDefaults.detect(environment),
                ApplyOptions.DEFAULT, registry, new HttpChildCommands(config.token(), Duration.ofMillis(500)),
                new HttpChildLogs(config.token()), Clock.systemUTC(), background, Duration.ofSeconds(90));
        stack.startObserving();
        // Behind a parent's gateway the X-Forwarded-* headers come from that gateway; at the top, from clients.
        gateway = new Gateway(vertx, new RouteTable(stack::routes),
                new StackTargets(stack::routes, registry, config.children().adminPort()),
                GatewaySettings.defaults(config.parentHost().isPresent()));
        server = new ControlPlaneServer(vertx, stack, ServerSettings.of("0.0.0.0", config.port(), config.token()),
                gateway);
        // One server per core on the shared port: the gateway's traffic is spread over that many event loops.
        int port = server.start(Runtime.getRuntime().availableProcessors()).get();
        LOG.info("controller of {} serving on port {}", config.place().path(), port);
        config.parentHost().ifPresent(host -> {
            String self = "http://" + StackPlace.hostName(config.stackName()) + ":" + config.port();
            parentLink = new ParentLink(new ParentLink.Settings(URI.create("http://" + host + ":" + config.parentPort()),
                    config.token(), new Registration(config.stackName(), self, config.stackName()), HEARTBEAT,
                    Duration.ofMillis(20), Duration.ofMillis(200), Duration.ofSeconds(5)), stack::status);
            stack.onChange(status -> parentLink.statusChanged());
            parentLink.start();
        });
        deployGivenDefinition();
        return port;
    }

    public SwarmStack stack() {
        return stack;
    }

    private void deployGivenDefinition() throws Exception {
        if (config.definitionFile().isEmpty()) {
            LOG.info("no definition given; waiting for an update");
            return;
        }
        String definition = Files.readString(config.definitionFile().get());
        Map<String, String> variables = config.environmentFile().isPresent()
                ? Json.MAPPER.readValue(Files.readString(config.environmentFile().get()), new TypeReference<Map<String, String>>() { })
                : Map.of();
        var update = stack.update(new UpdateRequest(List.of(), variables, definition));
        LOG.info("deploying the given definition (update {})", update.id());
    }

    @Override
    public void close() {
        if (parentLink != null) {
            parentLink.close();
        }
        if (server != null) {
            server.close();
        }
        if (gateway != null) {
            gateway.close();
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
