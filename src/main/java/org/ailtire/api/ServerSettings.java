package org.ailtire.api;

import java.time.Duration;
import java.util.Objects;

/**
 * How the control-plane server listens and what it allows.
 *
 * @param token          the application tree's token every caller must present (never logged)
 * @param bodyLimit      largest request body accepted, in bytes (413 beyond)
 * @param maxFollows     how many engine log streams may follow at once (429 beyond)
 * @param keepAlive      how often an idle event stream gets a comment line, so proxies keep it open
 * @param headerTimeout  how long a request head may take to arrive complete, from the connection opening or, on a
 *                       kept-alive connection, from its first byte (the connection is closed beyond)
 * @param bodyTimeout    how long a request body may take to arrive complete after its head (408 and closed beyond)
 * @param idleTimeout    how long a connection may stay without reads or writes (closed beyond); longer than
 *                       {@code keepAlive}, so event streams stay open
 * @param maxConnections how many connections may be open at once (a new one beyond is closed at once)
 */
public record ServerSettings(String host, int port, String token, long bodyLimit, int maxFollows,
                             Duration keepAlive, Duration headerTimeout, Duration bodyTimeout, Duration idleTimeout,
                             int maxConnections) {
    public static final long ONE_MIB = 1024 * 1024;
    public static final int MAX_FOLLOWS = 16;
    public static final Duration KEEP_ALIVE = Duration.ofSeconds(15);
    public static final Duration HEADER_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration BODY_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration IDLE_TIMEOUT = Duration.ofSeconds(60);
    public static final int MAX_CONNECTIONS = 512;

    public ServerSettings {
        Objects.requireNonNull(host, "host");
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("the control plane needs a token");
        }
        if (idleTimeout.compareTo(keepAlive) <= 0) {
            throw new IllegalArgumentException("the idle timeout must be longer than the event streams' keep-alive");
        }
    }

    /** The default timeouts and connection cap. */
    public ServerSettings(String host, int port, String token, long bodyLimit, int maxFollows, Duration keepAlive) {
        this(host, port, token, bodyLimit, maxFollows, keepAlive, HEADER_TIMEOUT, BODY_TIMEOUT, IDLE_TIMEOUT,
                MAX_CONNECTIONS);
    }

    public static ServerSettings of(String host, int port, String token) {
        return new ServerSettings(host, port, token, ONE_MIB, MAX_FOLLOWS, KEEP_ALIVE);
    }

    /** These settings with other timeouts and connection cap. */
    public ServerSettings withConnectionLimits(Duration headerTimeout, Duration idleTimeout, int maxConnections) {
        return new ServerSettings(host, port, token, bodyLimit, maxFollows, keepAlive, headerTimeout, bodyTimeout,
                idleTimeout, maxConnections);
    }

    /** These settings with another time allowed for a request body. */
    public ServerSettings withBodyTimeout(Duration bodyTimeout) {
        return new ServerSettings(host, port, token, bodyLimit, maxFollows, keepAlive, headerTimeout, bodyTimeout,
                idleTimeout, maxConnections);
    }

    @Override
    public String toString() {
        return "ServerSettings[host=" + host + ", port=" + port + ", token=***, bodyLimit=" + bodyLimit
                + ", maxFollows=" + maxFollows + ", keepAlive=" + keepAlive + ", headerTimeout=" + headerTimeout
                + ", bodyTimeout=" + bodyTimeout + ", idleTimeout=" + idleTimeout + ", maxConnections="
                + maxConnections + "]";
    }
}
