package org.ailtire.api;

import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import org.ailtire.gateway.RouteTable;
import org.ailtire.metrics.MetricsToken;
import org.ailtire.metrics.OpenStreams;
import org.ailtire.metrics.StackMetrics;
import org.ailtire.stack.Stack;
import org.ailtire.stack.StackToken;
import org.ailtire.tls.GatewayCertificate;
import org.ailtire.view.ViewRoutes;
import org.ailtire.webhook.Webhook;
import org.ailtire.webhook.WebhookSecrets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The stack's control plane as one router: the REST API under {@code /api/v1} (described by
 * {@code /api/v1/openapi.json}), the console under {@code /_ailtire/}, and the routes the original Node.js sidecar
 * offered under {@code /_admin}, so mixed trees work. The handlers live in one class per concern; this class only
 * puts the guards in front of them. {@link AdminServer} serves it on the admin port, and nothing else does.
 *
 * <p>Everything but health and the OpenAPI document needs this stack's bearer token; the routes a child stack calls
 * (register, report) also take the token derived for that child, and only those (see {@link ChildAuth}). No GET
 * changes state, except
 * the compatible {@code GET /_admin/register}. No CORS headers are sent: browsers reach the API same-origin only.
 */
final class ControlPlane {
    static final String BASE = "/api/v1";
    private static final Logger LOG = LoggerFactory.getLogger(ControlPlane.class);

    private ControlPlane() {
    }

    static Router router(Vertx vertx, Stack stack, ServerSettings settings, RouteTable routeTable,
                         GatewayCertificate certificate) {
        return router(vertx, stack, settings, routeTable, certificate, Optional.empty());
    }

    static Router router(Vertx vertx, Stack stack, ServerSettings settings, RouteTable routeTable,
                         GatewayCertificate certificate, Optional<OriginalAdmin> original) {
        return router(vertx, stack, settings, routeTable, certificate, original, StackMetrics.of(stack),
                Optional.empty(), new Webhook(WebhookSecrets.inMemory(), Clock.systemUTC()));
    }

    /**
     * @param original in compatibility mode (under an original ailtire parent), the original's admin routes, served
     *                 without a token; empty otherwise, and then {@code /_admin/*} needs the token
     * @param metrics      what {@code /metrics} answers
     * @param metricsToken the token that opens {@code /metrics} (and nothing else) besides the stack's
     * @param webhook      the stack's redeploy webhook
     */
    static Router router(Vertx vertx, Stack stack, ServerSettings settings, RouteTable routeTable,
                         GatewayCertificate certificate, Optional<OriginalAdmin> original, StackMetrics metrics,
                         Optional<MetricsToken> metricsToken, Webhook webhook) {
        String openApi = openApiDocument();
        StatusApi status = new StatusApi(stack, settings);
        UpdateApi updates = new UpdateApi(vertx, stack, settings);
        StackToken token = StackToken.of(settings.token());
        RegistryApi registry = new RegistryApi(stack, new ChildAuth(token));
        LogApi logs = new LogApi(stack, settings);
        RouteApi routes = new RouteApi(routeTable);
        HistoryApi history = new HistoryApi(vertx, stack);
        TlsApi tls = new TlsApi(certificate);
        WebhookApi hooks = new WebhookApi(vertx, stack, webhook);
        metrics.observeStreams(new OpenStreams(logs::openFollows, status::openStreams, updates::openStreams));
        MetricsApi metricsApi = new MetricsApi(metrics, token, metricsToken);

        Router r = Router.router(vertx);
        r.get(BASE + "/health").handler(ctx -> Responses.json(ctx, 200, Map.of("status", "UP")));
        r.get(BASE + "/openapi.json").handler(ctx -> ctx.response()
                .putHeader("Content-Type", "application/json").end(openApi));

        ViewRoutes.fromEnvironment().mount(r);
        // Outside /api/v1, where Prometheus looks by default; its own guard, as the metrics token opens this only.
        r.get("/metrics").handler(metricsApi::requireToken).blockingHandler(metricsApi::scrape, false);

        JsonContentType json = new JsonContentType();
        BodyHandler bodies = BodyHandler.create(false).setBodyLimit(settings.bodyLimit());
        // Before the guard of every other route: a child's token opens these, for that child only (the handlers
        // check the name), and they end every request, so nothing after them sees a child's token.
        // (One route per step: Vert.x takes a body handler only first on its route.)
        r.post(BASE + "/register").handler(registry::requireBearer);
        r.post(BASE + "/register").handler(json);
        r.post(BASE + "/register").handler(bodies).handler(registry::register);
        r.post(BASE + "/children/:name/report").handler(registry::requireChildOfPath);
        r.post(BASE + "/children/:name/report").handler(json);
        r.post(BASE + "/children/:name/report").handler(bodies).handler(registry::report);
        // Signed with the webhook's secret instead of the token (a CI holds that secret only).
        r.post(WebhookApi.DELIVERY).handler(bodies).handler(hooks::deliver);
        // The only route where the token may come as a query parameter.
        r.get("/_admin/register").handler(registry::compatRegister);
        // Compatibility mode only: an original parent polls and stops its child without a token.
        original.ifPresent(admin -> admin.mount(r, stack, routeTable));

        BearerAuth auth = new BearerAuth(token);
        r.route(BASE + "/*").handler(auth);
        r.route("/_admin/*").handler(auth);
        for (String withBody : List.of(BASE + "/update", BASE + "/update/preview", BASE + "/rollback",
                BASE + "/services/:name/scale")) {
            r.post(withBody).handler(json);
        }
        r.put(BASE + "/tls").handler(json);
        r.route(BASE + "/*").handler(bodies);
        r.route("/_admin/*").handler(bodies);

        r.get(BASE + "/status").handler(status::status);
        r.get(BASE + "/status/events").handler(status::events);
        r.get("/_admin/status").handler(status::compatStatus);
        r.post(BASE + "/shutdown").handler(status::shutdown);
        r.get(BASE + "/definition").handler(updates::definition);
        r.post(BASE + "/update").handler(updates::update);
        r.post(BASE + "/update/preview").handler(updates::preview);
        r.post(BASE + "/rollback").handler(updates::rollback);
        r.post(BASE + "/services/:name/scale").handler(updates::scale);
        r.post(BASE + "/services/:name/redeploy").handler(updates::redeployService);
        r.post(BASE + "/redeploy").handler(updates::redeploy);
        r.get(BASE + "/updates/:id").handler(updates::view);
        r.get(BASE + "/updates/:id/events").handler(updates::events);
        r.get(BASE + "/history").handler(history::list);
        r.get(BASE + "/history/:version").handler(history::get);
        r.get(BASE + "/history/:version/diff").handler(history::diff);
        r.get(BASE + "/events").handler(history::events);
        r.get(BASE + "/logs").handler(logs::handle);
        r.get(BASE + "/routes").handler(routes::list);
        // Blocking: a route added or removed is applied to the gateway's HAProxy (a checked reload) before the answer.
        r.post(BASE + "/routes").blockingHandler(routes::add);
        r.get(BASE + "/routes/:name").handler(routes::get);
        r.delete(BASE + "/routes/:name").blockingHandler(routes::remove);
        r.post(BASE + "/webhook").handler(hooks::create);
        r.get(BASE + "/webhook").handler(hooks::show);
        r.delete(BASE + "/webhook").handler(hooks::delete);
        r.get(BASE + "/tls").handler(tls::get);
        // Blocking: the certificate is swapped in HAProxy and kept on the engine before the answer.
        r.put(BASE + "/tls").blockingHandler(tls::replace);

        r.errorHandler(400, ctx -> ApiError.send(ctx, 400, "bad request"));
        r.errorHandler(404, ctx -> ApiError.send(ctx, 404, "no such resource: " + ctx.request().path()));
        r.errorHandler(405, ctx -> ApiError.send(ctx, 405, "method not allowed"));
        r.errorHandler(413, ctx -> ApiError.send(ctx, 413, "request body larger than " + settings.bodyLimit()
                + " bytes"));
        r.errorHandler(500, ctx -> {
            LOG.error("request {} {} failed", ctx.request().method(), ctx.request().path(), ctx.failure());
            ApiError.send(ctx, 500, "internal error");
        });
        return r;
    }

    static String openApiDocument() {
        try (InputStream in = ControlPlane.class.getResourceAsStream("openapi.json")) {
            if (in == null) {
                throw new IllegalStateException("openapi.json is missing from the classpath next to "
                        + ControlPlane.class.getName());
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
