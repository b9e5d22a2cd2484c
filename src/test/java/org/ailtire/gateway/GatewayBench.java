package org.ailtire.gateway;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import org.ailtire.api.ControlPlaneServer;
import org.ailtire.api.ServerSettings;
import org.ailtire.stack.FakeStack;

import java.util.List;
import java.util.Set;

/**
 * The controller's gateway standalone, for bench/gateway/run.sh (not a test): the control plane and gateway on
 * {@code port}, one static route {@code /} to a backend on loopback {@code backendPort}, served by {@code loops}
 * event loops (as in the controller: one control plane server per loop, sharing the port and the gateway).
 *
 * <p>Usage: {@code GatewayBench <port> <backendPort> [loops]}; {@code -Dbench.routerless=true} serves the gateway
 * straight from the HTTP server, without the control plane's router (to measure what the router costs).
 */
public final class GatewayBench {
    private GatewayBench() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int backendPort = Integer.parseInt(args[1]);
        int loops = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(loops)
                .setPreferNativeTransport(!Boolean.getBoolean("bench.nio")));
        StackRoutes routes = new StackRoutes(List.of(new Route("backend", "/", RouteTarget.service("backend", backendPort),
                "/", Route.Protocol.HTTP, Route.Origin.DEFINITION)), Set.of("backend"), Set.of());
        Gateway gateway = new Gateway(vertx, new RouteTable(() -> routes),
                target -> new TargetResolver.Address("127.0.0.1", target.port()), GatewaySettings.defaults(false));
        boolean routerless = Boolean.getBoolean("bench.routerless");
        if (routerless) {
            for (int i = 0; i < loops; i++) {
                vertx.createHttpServer().requestHandler(gateway::handle).listen(port, "127.0.0.1")
                        .toCompletionStage().toCompletableFuture().join();
            }
        } else {
            new ControlPlaneServer(vertx, FakeStack.simple("bench"), ServerSettings.of("127.0.0.1", port, "bench"),
                    gateway).start(loops).join();
        }
        System.out.println("gateway-bench listening on 127.0.0.1:" + port + " -> 127.0.0.1:" + backendPort
                + " with " + loops + " event loop(s), " + (vertx.isNativeTransportEnabled() ? "native" : "NIO")
                + " transport");
        Thread.currentThread().join();
    }
}
