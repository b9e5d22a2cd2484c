package org.ailtire.api;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.impl.ConnectionBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * What the admin listener allows a connection beyond Vert.x's idle timeout: at most {@code maxConnections} open at
 * once (one more is closed at once); each request head complete within {@code headerTimeout} of the connection
 * opening or, on a kept-alive connection, of the first byte after the previous response ended (else the connection
 * is closed), so a client trickling an incomplete request cannot hold a connection; and each request body complete
 * within {@code bodyTimeout} of its head (else 408 and the connection is closed). A kept-alive connection that sends
 * nothing has the idle timeout only, so pooling clients are not cut between requests. Runs on the server's event loop
 * only.
 *
 * <p>Vert.x tells no byte before a complete head, so the first byte of a later request is seen by a Netty handler
 * at the head of the connection's pipeline ({@link ConnectionBase#channel()}, a Vert.x implementation class).
 */
final class ConnectionGuard {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionGuard.class);

    private final long headerTimeoutMillis;
    private final long bodyTimeoutMillis;
    private final int maxConnections;
    private final Map<HttpConnection, Watch> open = new HashMap<>();

    ConnectionGuard(ServerSettings settings) {
        this.headerTimeoutMillis = settings.headerTimeout().toMillis();
        this.bodyTimeoutMillis = settings.bodyTimeout().toMillis();
        this.maxConnections = settings.maxConnections();
    }

    void connected(HttpConnection connection) {
        if (open.size() >= maxConnections) {
            LOG.warn("closing a connection from {}: {} connections are open already", connection.remoteAddress(),
                    maxConnections);
            connection.close();
            return;
        }
        if (!(connection instanceof ConnectionBase base)) {
            throw new IllegalStateException("the admin listener needs Vert.x's ConnectionBase to time request heads, "
                    + "got " + connection.getClass().getName());
        }
        Watch watch = new Watch(connection, base.channel());
        open.put(connection, watch);
        base.channel().pipeline().addFirst("ailtire-request-head-timer", watch);
        watch.awaitHead();
        connection.closeHandler(v -> {
            Watch closed = open.remove(connection);
            if (closed != null) {
                closed.stop();
            }
        });
    }

    /** Wraps the request handler: a request head arrived, so its connection's head timer stops, its body's starts. */
    Handler<HttpServerRequest> requests(Handler<HttpServerRequest> handler) {
        return request -> {
            Watch watch = open.get(request.connection());
            if (watch != null) {
                watch.requested(request);
            }
            handler.handle(request);
        };
    }

    /** One connection's timers; sees every read first, on the connection's event loop. */
    private final class Watch extends ChannelInboundHandlerAdapter {
        private final HttpConnection connection;
        private final Channel channel;
        private HttpServerRequest current;
        private ScheduledFuture<?> headTimer;
        private ScheduledFuture<?> bodyTimer;

        Watch(HttpConnection connection, Channel channel) {
            this.connection = connection;
            this.channel = channel;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            boolean betweenRequests = current != null && current.response().ended();
            if (betweenRequests && headTimer == null && msg instanceof ByteBuf bytes && bytes.isReadable()) {
                current = null;
                awaitHead();
            }
            ctx.fireChannelRead(msg);
        }

        void awaitHead() {
            headTimer = channel.eventLoop().schedule(() -> {
                if (headTimer != null) {
                    LOG.info("closing a connection from {}: no complete request head within {} ms",
                            connection.remoteAddress(), headerTimeoutMillis);
                    connection.close();
                }
            }, headerTimeoutMillis, TimeUnit.MILLISECONDS);
        }

        void requested(HttpServerRequest request) {
            cancel(headTimer);
            headTimer = null;
            cancel(bodyTimer);
            bodyTimer = null;
            current = request;
            if (!request.isEnded()) {
                bodyTimer = channel.eventLoop().schedule(() -> bodyLate(request), bodyTimeoutMillis,
                        TimeUnit.MILLISECONDS);
            }
        }

        private void bodyLate(HttpServerRequest request) {
            if (request != current || request.isEnded()) {
                return;
            }
            LOG.warn("closing a connection from {}: the body of {} {} was not complete within {} ms",
                    connection.remoteAddress(), request.method(), request.path(), bodyTimeoutMillis);
            if (request.response().headWritten()) {
                connection.close();
                return;
            }
            request.response().setStatusCode(408).putHeader("Content-Type", "application/json")
                    .putHeader("Connection", "close")
                    .end(ApiError.encode(Map.of("error", "the request body was not complete within "
                            + bodyTimeoutMillis + " ms", "details", List.of())))
                    .onComplete(written -> connection.close());
        }

        void stop() {
            cancel(headTimer);
            headTimer = null;
            cancel(bodyTimer);
            bodyTimer = null;
        }

        private static void cancel(ScheduledFuture<?> timer) {
            if (timer != null) {
                timer.cancel(false);
            }
        }
    }
}
