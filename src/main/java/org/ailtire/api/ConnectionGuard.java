package org.ailtire.api;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.Map;

/**
 * What the admin listener allows a connection beyond Vert.x's idle timeout: at most {@code maxConnections} open at
 * once (one more is closed at once), and a complete request head within {@code headerTimeout} of connecting (else it
 * is closed), so a client trickling an incomplete request cannot hold a connection. After its first request a kept-alive
 * connection has the idle timeout only, so pooling clients are not cut between requests. Runs on the server's event
 * loop only.
 */
final class ConnectionGuard {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionGuard.class);

    private final Vertx vertx;
    private final long headerTimeoutMillis;
    private final int maxConnections;
    /** Per open connection: the timer waiting for its first request head, or -1 once it came. */
    private final Map<HttpConnection, Long> open = new HashMap<>();

    ConnectionGuard(Vertx vertx, ServerSettings settings) {
        this.vertx = vertx;
        this.headerTimeoutMillis = settings.headerTimeout().toMillis();
        this.maxConnections = settings.maxConnections();
    }

    void connected(HttpConnection connection) {
        if (open.size() >= maxConnections) {
            LOG.warn("closing a connection from {}: {} connections are open already", connection.remoteAddress(),
                    maxConnections);
            connection.close();
            return;
        }
        open.put(connection, awaitRequest(connection));
        connection.closeHandler(v -> {
            Long timer = open.remove(connection);
            if (timer != null && timer >= 0) {
                vertx.cancelTimer(timer);
            }
        });
    }

    /** Wraps the request handler: a request head arrived, so its connection's timer stops. */
    Handler<HttpServerRequest> requests(Handler<HttpServerRequest> handler) {
        return request -> {
            HttpConnection connection = request.connection();
            Long timer = open.replace(connection, -1L);
            if (timer != null && timer >= 0) {
                vertx.cancelTimer(timer);
            }
            handler.handle(request);
        };
    }

    private long awaitRequest(HttpConnection connection) {
        return vertx.setTimer(headerTimeoutMillis, id -> {
            if (open.get(connection) instanceof Long timer && timer == id) {
                LOG.info("closing a connection from {}: no complete request within {} ms",
                        connection.remoteAddress(), headerTimeoutMillis);
                connection.close();
            }
        });
    }
}
