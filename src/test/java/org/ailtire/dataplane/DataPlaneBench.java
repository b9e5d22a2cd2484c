package org.ailtire.dataplane;

import org.ailtire.gateway.Route;
import org.ailtire.gateway.RouteTarget;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The gateway's data plane standalone, for bench/gateway/run.sh (not a test): HAProxy rendered and supervised as the
 * controller does it, one route {@code /} to a backend on loopback {@code backendPort}, {@code threads} worker threads.
 * With {@code levels} above 1, that many gateways in a row as in a tree of stacks: the top on {@code port}, each
 * passing to the next on the following port (trusting its X-Forwarded-* headers), the last to the backend.
 *
 * With protocol {@code ws} the route passes WebSocket upgrades (as {@code protocol: ws} declares it).
 *
 * <p>Usage: {@code DataPlaneBench <port> <backendPort> [threads] [levels] [http|ws]}; stops HAProxy when the JVM is
 * stopped.
 */
public final class DataPlaneBench {
    private DataPlaneBench() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int backendPort = Integer.parseInt(args[1]);
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        int levels = args.length > 3 ? Integer.parseInt(args[3]) : 1;
        Route.Protocol protocol = args.length > 4 && args[4].equals("ws") ? Route.Protocol.WS : Route.Protocol.HTTP;
        for (int level = 0; level < levels; level++) {
            int next = level == levels - 1 ? backendPort : port + level + 1;
            start(port + level, next, threads, level > 0, protocol);
        }
        System.out.println("dataplane-bench listening on 127.0.0.1:" + port + " -> 127.0.0.1:" + backendPort
                + " through " + levels + " gateway(s) with " + threads + " haproxy thread(s) each");
        Thread.currentThread().join();
    }

    private static void start(int port, int target, int threads, boolean behindParent, Route.Protocol protocol)
            throws Exception {
        Path run = Files.createTempDirectory("dataplane-bench");
        DataPlaneSettings defaults = DataPlaneSettings.defaults("127.0.0.1", port, behindParent, run);
        DataPlaneSettings settings = new DataPlaneSettings(defaults.bindAddress(), port, behindParent,
                defaults.connectTimeout(), defaults.idleTimeout(), defaults.headerTimeout(), defaults.tunnelTimeout(),
                threads, defaults.maxConnections(), defaults.connectionsPerClient(), run);
        HaproxySupervisor supervisor = new HaproxySupervisor(HaproxySupervisor.defaultBinary(System.getenv()),
                settings, Duration.ofMillis(500));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            supervisor.close();
            try (var files = Files.walk(run)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            } catch (java.io.IOException e) {
                System.err.println("left " + run + ": " + e.getMessage());
            }
        }));
        Route route = new Route("next", "/", RouteTarget.service("next", target), "/", protocol,
                Route.Origin.DEFINITION);
        supervisor.start(List.of(new RouteBackend(route, new RouteBackend.Servers(List.of(
                new RouteBackend.Server("t1", "127.0.0.1", target))))));
    }
}
