package org.ailtire.api;

import java.time.Duration;
import java.util.Objects;

/**
 * How the control-plane server listens and what it allows.
 *
 * @param token      the application tree's token every caller must present (never logged)
 * @param bodyLimit  largest request body accepted, in bytes (413 beyond)
 * @param maxFollows how many log streams may follow at once (429 beyond)
 * @param keepAlive  how often an idle event stream gets a comment line, so proxies keep it open
 */
public record ServerSettings(String host, int port, String token, long bodyLimit, int maxFollows,
                             Duration keepAlive) {
    public static final long ONE_MIB = 1024 * 1024;

    public ServerSettings {
        Objects.requireNonNull(host, "host");
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("the control plane needs a token");
        }
    }

    public static ServerSettings of(String host, int port, String token) {
        return new ServerSettings(host, port, token, ONE_MIB, 16, Duration.ofSeconds(15));
    }

    @Override
    public String toString() {
        return "ServerSettings[host=" + host + ", port=" + port + ", token=***, bodyLimit=" + bodyLimit
                + ", maxFollows=" + maxFollows + ", keepAlive=" + keepAlive + "]";
    }
}
