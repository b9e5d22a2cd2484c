package org.ailtire.controller;

import com.github.dockerjava.api.DockerClient;
import io.vertx.core.Vertx;
import org.ailtire.api.AdminServer;
import org.ailtire.api.ServerSettings;
import org.ailtire.gateway.Gateway;
import org.ailtire.gateway.GatewayServer;
import org.ailtire.gateway.GatewaySettings;
import org.ailtire.gateway.RouteTable;
import org.ailtire.gateway.StackTargets;
import org.ailtire.stack.ChildRegistry;
import org.ailtire.stack.HttpChildCommands;
import org.ailtire.swarm.apply.ApplyOptions;
import org.ailtire.swarm.convert.NetworkingDefaults;
import org.ailtire.swarm.history.ConfigHistory;
import org.ailtire.swarm.stack.HttpChildLogs;
import org.ailtire.swarm.stack.SwarmStack;
import org.ailtire.swarm.topology.RegistryAuthFile;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;

/**
 * A controller's parts, wired in this one place: the definition history, the stack on the engine, the gateway with
 * its listener on the gateway port and the control plane's on the admin port. {@link Controller} starts them;
 * {@link CdsTraining} walks the same path without an engine.
 */
record ControllerParts(ConfigHistory history, SwarmStack stack, Gateway gateway, GatewayServer gatewayServer,
                       AdminServer admin) {
    /** How long a stack waits for each child stack to confirm its shutdown. */
    static final Duration CHILD_SHUTDOWN_TIMEOUT = Duration.ofSeconds(90);

    /**
     * @param givenDigest digest of the definition the controller was given ({@code ""} for none), for the history
     * @param bindHost    the address the control plane and the gateway listen on
     */
    static ControllerParts wire(ControllerConfig config, Map<String, String> environment, Vertx vertx,
                                DockerClient docker, ChildRegistry registry, ExecutorService background,
                                String givenDigest, String bindHost) {
        Clock clock = Clock.systemUTC();
        ConfigHistory history = new ConfigHistory(docker, config.place(), config.token(), givenDigest,
                config.historyKeep(), clock);
        SwarmStack stack = new SwarmStack(config.place(), docker, config.children(),
                NetworkingDefaults.detect(environment), ApplyOptions.DEFAULT, config.taskResync(), registry,
                new HttpChildCommands(config.token(), Duration.ofMillis(500)), new HttpChildLogs(config.token()),
                clock, background, CHILD_SHUTDOWN_TIMEOUT, history, new RegistryAuthFile(config.token()));
        // Behind a parent's gateway the X-Forwarded-* headers come from that gateway; at the top, from clients.
        RouteTable routes = new RouteTable(stack::routes);
        // A child stack's routed traffic goes to its gateway port (its control traffic to its admin port).
        Gateway gateway = new Gateway(vertx, routes,
                new StackTargets(stack::routes, registry, config.children().gatewayPort()),
                GatewaySettings.defaults(config.parentHost().isPresent()));
        GatewayServer gatewayServer = new GatewayServer(vertx, gateway, bindHost, config.gatewayPort());
        AdminServer admin = new AdminServer(vertx, stack, ServerSettings.of(bindHost, config.adminPort(), config.token()),
                routes);
        return new ControllerParts(history, stack, gateway, gatewayServer, admin);
    }
}
