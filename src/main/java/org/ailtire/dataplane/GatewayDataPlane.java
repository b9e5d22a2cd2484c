package org.ailtire.dataplane;

import org.ailtire.gateway.Route;
import org.ailtire.gateway.RouteTable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The gateway port, served by HAProxy: the route table and where each route's target is now, rendered and applied
 * whenever they may have changed (a route added or removed, the stack's status, a child registered or lost) and
 * once a second besides. The supervisor leaves an unchanged configuration alone, so rendering often costs nothing.
 */
public final class GatewayDataPlane implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GatewayDataPlane.class);
    static final Duration SAFETY_RENDER = Duration.ofSeconds(1);

    private final RouteTable routes;
    private final TargetResolver targets;
    private final DataPlaneSettings settings;
    private final HaproxySupervisor supervisor;
    private final ScheduledExecutorService renderer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "gateway-render");
        thread.setDaemon(true);
        return thread;
    });
    // Guarded by this.
    private boolean started;

    public GatewayDataPlane(RouteTable routes, TargetResolver targets, DataPlaneSettings settings,
                            java.nio.file.Path binary) {
        this.routes = routes;
        this.targets = targets;
        this.settings = settings.port() == 0 ? withFreePort(settings) : settings;
        this.supervisor = new HaproxySupervisor(binary, this.settings, Duration.ofMillis(200));
    }

    /** HAProxy cannot be asked for any free port: one is picked here (tests and in-process controllers use port 0). */
    private static DataPlaneSettings withFreePort(DataPlaneSettings s) {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(s.bindAddress()))) {
            return s.withPort(socket.getLocalPort());
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on " + s.bindAddress(), e);
        }
    }

    /** Starts HAProxy with the current routes; returns the gateway port once it serves. */
    public synchronized int start() throws IOException {
        supervisor.start(backends());
        started = true;
        routes.addListener(this::refresh);
        renderer.scheduleWithFixedDelay(this::refresh, SAFETY_RENDER.toMillis(), SAFETY_RENDER.toMillis(),
                TimeUnit.MILLISECONDS);
        return settings.port();
    }

    public HaproxySupervisor supervisor() {
        return supervisor;
    }

    /** Serves this certificate chain and key (PEM, checked) from now on, without dropping a connection. */
    public void replaceCertificate(byte[] pem) throws IOException {
        supervisor.replaceCertificate(pem);
    }

    /** Something the routes depend on may have changed: applies the routes as they are now (at once, here). */
    public synchronized void refresh() {
        if (!started) {
            return;
        }
        try {
            supervisor.apply(backends());
        } catch (IOException | RuntimeException e) {
            LOG.warn("the gateway's routes were not applied: {}", e.getMessage());
        }
    }

    /** Asks for a refresh without waiting for it (from threads that must not block, e.g. status pushes). */
    public void refreshSoon() {
        if (!renderer.isShutdown()) {
            renderer.execute(this::refresh);
        }
    }

    private List<RouteBackend> backends() {
        List<RouteBackend> backends = new ArrayList<>();
        for (Route route : routes.all()) {
            backends.add(new RouteBackend(route, targets.resolve(route.target())));
        }
        return backends;
    }

    @Override
    public void close() {
        synchronized (this) {
            started = false;
        }
        renderer.shutdownNow();
        supervisor.close();
    }
}
