package org.ailtire.dataplane;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How the gateway's HAProxy listens and behaves, independent of the routes.
 *
 * @param bindAddress    the address the gateway port listens on
 * @param port           the gateway port
 * @param trustForwarded keep the X-Forwarded-* headers a request brings (behind a parent gateway only: at the top
 *                       they come from clients and would be spoofed)
 * @param connectTimeout how long connecting to a target may take
 * @param idleTimeout    how long a target or a client may stay silent within an exchange before it is cut (504 when
 *                       the target is silent before its answer)
 * @param headerTimeout  how long a client may take to send a request's headers (a slow client is cut after that)
 * @param tunnelTimeout  how long a WebSocket may stay silent in both directions
 * @param threads        HAProxy's worker threads
 * @param maxConnections connections the gateway holds at most (more wait in the kernel's backlog)
 * @param connectionsPerClient connections one client address may hold at once at the top gateway (more are closed
 *                       at once); not applied behind a parent, where every connection comes from the parent's gateway
 * @param runDirectory   where the configuration, maps and sockets live (private to the controller)
 * @param tls            TLS on the gateway port (the top gateway only: never with {@code trustForwarded})
 * @param metricsPort    the port of HAProxy's Prometheus exporter on 127.0.0.1 (never the gateway port, never another
 *                       address); 0 for none
 */
public record DataPlaneSettings(String bindAddress, int port, boolean trustForwarded, Duration connectTimeout,
                                Duration idleTimeout, Duration headerTimeout, Duration tunnelTimeout, int threads,
                                int maxConnections, int connectionsPerClient, Path runDirectory,
                                Optional<GatewayTls> tls, int metricsPort) {
    public DataPlaneSettings {
        Objects.requireNonNull(bindAddress, "bindAddress");
        Objects.requireNonNull(runDirectory, "runDirectory");
        Objects.requireNonNull(tls, "tls");
        if (trustForwarded && tls.isPresent()) {
            throw new IllegalArgumentException("tls: only the top gateway terminates TLS; behind a parent it speaks"
                    + " plain HTTP");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port: expected 0-65535, got " + port);
        }
        if (metricsPort < 0 || metricsPort > 65535 || (metricsPort != 0 && metricsPort == port)) {
            throw new IllegalArgumentException("metricsPort: expected 0 (none) or 1-65535 other than the gateway port,"
                    + " got " + metricsPort);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads: expected at least 1, got " + threads);
        }
        if (connectionsPerClient < 1) {
            throw new IllegalArgumentException("connectionsPerClient: expected at least 1, got " + connectionsPerClient);
        }
    }

    /** Without the exporter. */
    public DataPlaneSettings(String bindAddress, int port, boolean trustForwarded, Duration connectTimeout,
                             Duration idleTimeout, Duration headerTimeout, Duration tunnelTimeout, int threads,
                             int maxConnections, int connectionsPerClient, Path runDirectory,
                             Optional<GatewayTls> tls) {
        this(bindAddress, port, trustForwarded, connectTimeout, idleTimeout, headerTimeout, tunnelTimeout, threads,
                maxConnections, connectionsPerClient, runDirectory, tls, 0);
    }

    /** Without TLS. */
    public DataPlaneSettings(String bindAddress, int port, boolean trustForwarded, Duration connectTimeout,
                             Duration idleTimeout, Duration headerTimeout, Duration tunnelTimeout, int threads,
                             int maxConnections, int connectionsPerClient, Path runDirectory) {
        this(bindAddress, port, trustForwarded, connectTimeout, idleTimeout, headerTimeout, tunnelTimeout, threads,
                maxConnections, connectionsPerClient, runDirectory, Optional.empty());
    }

    public DataPlaneSettings withTls(GatewayTls gatewayTls) {
        return new DataPlaneSettings(bindAddress, port, trustForwarded, connectTimeout, idleTimeout, headerTimeout,
                tunnelTimeout, threads, maxConnections, connectionsPerClient, runDirectory, Optional.of(gatewayTls),
                metricsPort);
    }

    public DataPlaneSettings withPort(int newPort) {
        return new DataPlaneSettings(bindAddress, newPort, trustForwarded, connectTimeout, idleTimeout, headerTimeout,
                tunnelTimeout, threads, maxConnections, connectionsPerClient, runDirectory, tls, metricsPort);
    }

    /** These settings with HAProxy's Prometheus exporter on 127.0.0.1:{@code port}. */
    public DataPlaneSettings withMetricsPort(int port) {
        return new DataPlaneSettings(bindAddress, this.port, trustForwarded, connectTimeout, idleTimeout, headerTimeout,
                tunnelTimeout, threads, maxConnections, connectionsPerClient, runDirectory, tls, port);
    }

    public static DataPlaneSettings defaults(String bindAddress, int port, boolean trustForwarded, Path runDirectory) {
        return new DataPlaneSettings(bindAddress, port, trustForwarded, Duration.ofSeconds(5), Duration.ofSeconds(60),
                Duration.ofSeconds(10), Duration.ofHours(1), 2, 4096, 200, runDirectory);
    }

    public Path configFile() {
        return runDirectory.resolve("haproxy.cfg");
    }

    public Path masterSocket() {
        return runDirectory.resolve("master.sock");
    }

    /** The servers' state (addresses found in DNS among them), handed from one worker to the next at a reload. */
    public Path serverStateFile() {
        return runDirectory.resolve("servers.state");
    }

    public Path runtimeSocket() {
        return runDirectory.resolve("runtime.sock");
    }
}
