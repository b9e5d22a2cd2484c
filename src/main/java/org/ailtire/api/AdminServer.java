package org.ailtire.api;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import org.ailtire.gateway.RouteTable;
import org.ailtire.metrics.MetricsToken;
import org.ailtire.metrics.StackMetrics;
import org.ailtire.stack.Stack;
import org.ailtire.tls.GatewayCertificate;
import org.ailtire.webhook.Webhook;
import org.ailtire.webhook.WebhookSecrets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The admin listener: the {@link ControlPlane} (REST, events, OpenAPI, console) on the admin port, and only there.
 * The gateway listens on a port of its own (served by HAProxy, {@link org.ailtire.dataplane.GatewayDataPlane}), so no page an application
 * serves shares an origin with the console and its token. HTTP/1.1 only (no h2c upgrade), with an idle timeout, a
 * timeout for each request head and body and a cap on open connections ({@link ConnectionGuard},
 * {@link ServerSettings}).
 */
public final class AdminServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AdminServer.class);

    private final Vertx vertx;
    private final Stack stack;
    private final ServerSettings settings;
    private final Router router;
    private volatile HttpServer server;

    /** A control plane whose route API manages no routes. */
    public AdminServer(Vertx vertx, Stack stack, ServerSettings settings) {
        this(vertx, stack, settings, RouteTable.empty());
    }

    /** @param routes the gateway's routes, which {@code /api/v1/routes} reads and changes */
    public AdminServer(Vertx vertx, Stack stack, ServerSettings settings, RouteTable routes) {
        this(vertx, stack, settings, routes, GatewayCertificate.NONE);
    }

    /** @param certificate what the gateway serves over TLS, which {@code /api/v1/tls} reads and replaces */
    public AdminServer(Vertx vertx, Stack stack, ServerSettings settings, RouteTable routes,
                       GatewayCertificate certificate) {
        this(vertx, stack, settings, routes, certificate, Optional.empty());
    }

    /** @param original in compatibility mode, the original sidecar's admin routes (no token); empty otherwise */
    public AdminServer(Vertx vertx, Stack stack, ServerSettings settings, RouteTable routes,
                       GatewayCertificate certificate, Optional<OriginalAdmin> original) {
        this(vertx, stack, settings, routes, certificate, original, StackMetrics.of(stack), Optional.empty());
    }

    /** With a webhook whose secret lives in this process only. */
    public AdminServer(Vertx vertx, Stack stack, ServerSettings settings, RouteTable routes,
                       GatewayCertificate certificate, Optional<OriginalAdmin> original, StackMetrics metrics,
                       Optional<MetricsToken> metricsToken) {
        this(vertx, stack, settings, routes, certificate, original, metrics, metricsToken,
                new Webhook(WebhookSecrets.inMemory(), Clock.systemUTC()));
    }

    /**
     * @param metrics      what {@code GET /metrics} answers
     * @param metricsToken a token that opens {@code /metrics} only, for a Prometheus server; empty for none
     * @param webhook      the stack's redeploy webhook
     */
    public AdminServer(Vertx vertx, Stack stack, ServerSettings settings, RouteTable routes,
                       GatewayCertificate certificate, Optional<OriginalAdmin> original, StackMetrics metrics,
                       Optional<MetricsToken> metricsToken, Webhook webhook) {
        this.vertx = vertx;
        this.stack = stack;
        this.settings = settings;
        this.router = ControlPlane.router(vertx, stack, settings, routes, certificate, original, metrics,
                metricsToken, webhook);
    }

    /** Starts listening; completes with the bound port (useful with port 0). */
    public CompletableFuture<Integer> start() {
        HttpServerOptions options = new HttpServerOptions().setHost(settings.host()).setPort(settings.port())
                .setIdleTimeout((int) settings.idleTimeout().toMillis()).setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
                .setHttp2ClearTextEnabled(false);
        ConnectionGuard guard = new ConnectionGuard(settings);
        return vertx.createHttpServer(options)
                .connectionHandler(guard::connected)
                .requestHandler(guard.requests(router)).listen()
                .map(s -> {
                    server = s;
                    LOG.info("control plane of {} listening on {}:{}", stack.name(), settings.host(), s.actualPort());
                    return s.actualPort();
                }).toCompletionStage().toCompletableFuture();
    }

    @Override
    public void close() {
        HttpServer s = server;
        if (s != null) {
            s.close().toCompletionStage().toCompletableFuture().join();
            server = null;
        }
    }

    Router router() {
        return router;
    }
}
