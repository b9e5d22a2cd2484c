package org.ailtire.api;

import io.vertx.ext.web.RoutingContext;
import org.ailtire.metrics.MetricsToken;
import org.ailtire.metrics.StackMetrics;
import org.ailtire.stack.StackToken;

import java.util.Optional;

/**
 * {@code GET /metrics}: the controller's series in the Prometheus text format ({@link StackMetrics}). Opened by this
 * stack's token or by the metrics token, which opens nothing else; 401 otherwise, as everywhere.
 */
final class MetricsApi {
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final StackMetrics metrics;
    private final StackToken token;
    private final Optional<MetricsToken> metricsToken;

    MetricsApi(StackMetrics metrics, StackToken token, Optional<MetricsToken> metricsToken) {
        this.metrics = metrics;
        this.token = token;
        this.metricsToken = metricsToken;
    }

    /** On the event loop: lets through either token. */
    void requireToken(RoutingContext ctx) {
        String presented = BearerAuth.presented(ctx, false);
        if (token.matches(presented) || metricsToken.filter(t -> t.matches(presented)).isPresent()) {
            ctx.next();
        } else {
            BearerAuth.refuse(ctx);
        }
    }

    /** Blocking: the gateway's exporter is asked over HTTP on loopback. */
    void scrape(RoutingContext ctx) {
        String text = metrics.scrape();
        ctx.response().putHeader("Content-Type", CONTENT_TYPE).putHeader("Cache-Control", "no-store").end(text);
    }
}
