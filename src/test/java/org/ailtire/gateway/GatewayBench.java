package org.ailtire.gateway;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;

import java.util.List;
import java.util.Set;

/**
 * The controller's gateway standalone, for bench/gateway/run.sh (not a test): the gateway listener on {@code port},
 * one static route {@code /} to a backend on loopback {@code backendPort}, served by {@code loops} event loops (as in
 * the controller: one gateway server per loop, sharing the port and the gateway).
 *
 * <p>Usage: {@code GatewayBench <port> <backendPort> [loops]}.
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
        new GatewayServer(vertx, gateway, "127.0.0.1", port).start(loops).join();
        System.out.println("gateway-bench listening on 127.0.0.1:" + port + " -> 127.0.0.1:" + backendPort
                + " with " + loops + " event loop(s), " + (vertx.isNativeTransportEnabled() ? "native" : "NIO")
                + " transport");
        Thread.currentThread().join();
    }
}
