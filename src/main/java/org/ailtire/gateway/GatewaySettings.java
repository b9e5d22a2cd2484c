package org.ailtire.gateway;

import java.time.Duration;

/**
 * @param connectTimeout how long connecting to a target may take
 * @param idleTimeout    how long a target may stay silent (before its response, or within it) before a 504
 * @param trustForwarded keep the X-Forwarded-* headers a request brings (true behind a parent gateway only: at the
 *                       top they come from clients and would be spoofed)
 * @param poolSize       kept-alive connections per target
 */
public record GatewaySettings(Duration connectTimeout, Duration idleTimeout, boolean trustForwarded, int poolSize) {
    public static GatewaySettings defaults(boolean trustForwarded) {
        return new GatewaySettings(Duration.ofSeconds(5), Duration.ofSeconds(60), trustForwarded, 256);
    }
}
