package org.ailtire.protocol;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;

/**
 * One HTTP client (one connection pool) and the settings its calls share, for callers that speak to many controllers
 * (a parent to each of its children): {@link #to} gives a {@link ControlPlaneClient} for one of them.
 *
 * @param actor          sent as {@code X-Ailtire-Actor} (who made a change, in the controller's history), or null
 * @param requestTimeout how long a request waits for its answer's headers (event streams and logs wait forever)
 */
public final class ControlPlaneConnections implements AutoCloseable {
    private final String actor;
    private final Duration requestTimeout;
    private final HttpClient http;

    public ControlPlaneConnections(String actor, Duration connectTimeout, Duration requestTimeout) {
        this.actor = actor;
        this.requestTimeout = requestTimeout;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(connectTimeout).build();
    }

    /** A client of the controller at {@code base}, e.g. {@code http://shop:3000}, that presents {@code token}. */
    public ControlPlaneClient to(URI base, String token) {
        return new ControlPlaneClient(this, base, token);
    }

    String actor() {
        return actor;
    }

    Duration requestTimeout() {
        return requestTimeout;
    }

    HttpClient http() {
        return http;
    }

    @Override
    public void close() {
        http.close();
    }
}
