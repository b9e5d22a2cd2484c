package org.ailtire.gateway;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The gateway listener: every request on the gateway port goes to the {@link Gateway}, which carries application
 * routes only. The control plane and the console are never served here (they have the admin port), so a page an
 * application serves cannot share an origin with them. This is the one place that binds the gateway port.
 */
public final class GatewayServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GatewayServer.class);

    private final Vertx vertx;
    private final Gateway gateway;
    private final String host;
    private final int port;
    private final List<HttpServer> servers = new CopyOnWriteArrayList<>();

    public GatewayServer(Vertx vertx, Gateway gateway, String host, int port) {
        this.vertx = vertx;
        this.gateway = gateway;
        this.host = host;
        this.port = port;
    }

    /**
     * Starts listening with {@code eventLoops} servers on the same port, each on its own event loop (Vert.x spreads
     * the connections over them), so gateway traffic can use more than one core. Completes with the bound port.
     * With port 0 (any free port) there is one server: Vert.x shares a port between servers by the port they ask
     * for, so a second server asking for the port the first one got would try to bind it again and fail.
     */
    public CompletableFuture<Integer> start(int eventLoops) {
        int count = port == 0 ? 1 : eventLoops;
        return listen(port).compose(bound -> {
            Future<Integer> all = Future.succeededFuture(bound);
            for (int i = 1; i < count; i++) {
                all = all.compose(this::listen);
            }
            return all;
        }).onSuccess(bound -> LOG.info("gateway listening on {}:{} ({} event loop(s))", host, bound, count))
                .toCompletionStage().toCompletableFuture();
    }

    private Future<Integer> listen(int port) {
        return vertx.createHttpServer(new HttpServerOptions().setHost(host).setPort(port))
                .requestHandler(gateway::handle).listen()
                .map(s -> {
                    servers.add(s);
                    return s.actualPort();
                });
    }

    @Override
    public void close() {
        for (HttpServer server : servers) {
            server.close().toCompletionStage().toCompletableFuture().join();
        }
        servers.clear();
    }
}
