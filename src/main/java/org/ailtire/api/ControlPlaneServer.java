package org.ailtire.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import org.ailtire.definition.DefinitionException;
import org.ailtire.gateway.Gateway;
import org.ailtire.gateway.RouteTable;
import org.ailtire.stack.ChildRegistry;
import org.ailtire.stack.DefinitionHistory;
import org.ailtire.stack.Json;
import org.ailtire.stack.LogRequest;
import org.ailtire.stack.NoSuchServiceException;
import org.ailtire.stack.NoSuchVersionException;
import org.ailtire.stack.Registration;
import org.ailtire.stack.Stack;
import org.ailtire.stack.Status;
import org.ailtire.stack.Update;
import org.ailtire.stack.UpdateInProgressException;
import org.ailtire.stack.UpdateRequest;
import org.ailtire.view.ViewRoutes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;

/**
 * The stack's REST API under {@code /api/v1} (described by {@code /api/v1/openapi.json}) plus the routes the
 * original Node.js sidecar offered under {@code /_admin}, so mixed trees work.
 *
 * <p>Everything but health and the OpenAPI document needs the tree's bearer token. No GET changes state, except
 * the compatible {@code GET /_admin/register}. No CORS headers are sent: browsers reach the API same-origin only.
 */
public final class ControlPlaneServer implements AutoCloseable {
    static final String BASE = "/api/v1";
    private static final Logger LOG = LoggerFactory.getLogger(ControlPlaneServer.class);

    private final Vertx vertx;
    private final Stack stack;
    private final ServerSettings settings;
    private final Router router;
    private final String openApi;
    private final LogRoutes logs;
    private final RouteApi routes;
    private final HistoryApi history;
    private final Gateway gateway;
    private final List<HttpServer> servers = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** A control plane without a gateway: no routes, every other path is a 404. */
    public ControlPlaneServer(Vertx vertx, Stack stack, ServerSettings settings) {
        this(vertx, stack, settings, RouteTable.empty(), null);
    }

    /** The control plane with the stack's gateway behind it, handling every path the control plane does not own. */
    public ControlPlaneServer(Vertx vertx, Stack stack, ServerSettings settings, Gateway gateway) {
        this(vertx, stack, settings, gateway.routes(), gateway);
    }

    private ControlPlaneServer(Vertx vertx, Stack stack, ServerSettings settings, RouteTable routeTable,
                               Gateway gateway) {
        this.vertx = vertx;
        this.stack = stack;
        this.settings = settings;
        this.openApi = openApiDocument();
        this.logs = new LogRoutes(stack, settings);
        this.routes = new RouteApi(routeTable);
        this.history = new HistoryApi(vertx, stack);
        this.gateway = gateway;
        this.router = buildRouter();
    }

    /** Starts listening on one event loop; completes with the bound port (useful with port 0). */
    public CompletableFuture<Integer> start() {
        return start(1);
    }

    /**
     * Starts listening with {@code eventLoops} servers on the same port, each on its own event loop (Vert.x spreads
     * the connections over them), so gateway traffic can use more than one core. Completes with the bound port.
     * With port 0 (any free port) there is one server: Vert.x shares a port between servers by the port they ask
     * for, so a second server asking for the port the first one got would try to bind it again and fail.
     */
    public CompletableFuture<Integer> start(int eventLoops) {
        int count = settings.port() == 0 ? 1 : eventLoops;
        return listen(settings.port()).compose(port -> {
            Future<Integer> all = Future.succeededFuture(port);
            for (int i = 1; i < count; i++) {
                all = all.compose(bound -> listen(bound));
            }
            return all;
        }).onSuccess(port -> LOG.info("control plane of {} listening on {}:{} ({} event loop(s))", stack.name(),
                settings.host(), port, count)).toCompletionStage().toCompletableFuture();
    }

    private Future<Integer> listen(int port) {
        HttpServerOptions options = new HttpServerOptions().setHost(settings.host()).setPort(port);
        return vertx.createHttpServer(options).requestHandler(gateway == null ? router : this::dispatch).listen()
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

    /**
     * Gateway traffic goes straight to the gateway, without a pass through the control plane's router (measured as
     * a sizeable part of a proxied request's cost). What is not plainly the gateway's (control-plane paths, paths
     * not in normal form; by plain prefix, so /api and /_ailtire without a slash are the router's too) takes the
     * router, where the gateway still is the last handler.
     */
    private void dispatch(HttpServerRequest request) {
        String path = request.path();
        if (path != null && !path.startsWith("/api") && !path.startsWith("/_admin") && !path.startsWith("/_ailtire")
                && Gateway.isNormal(path)) {
            gateway.handle(request);
        } else {
            router.handle(request);
        }
    }

    Router router() {
        return router;
    }

    static String openApiDocument() {
        try (InputStream in = ControlPlaneServer.class.getResourceAsStream("openapi.json")) {
            if (in == null) {
                throw new IllegalStateException("openapi.json is missing from the classpath next to "
                        + ControlPlaneServer.class.getName());
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Router buildRouter() {
        Router r = Router.router(vertx);
        r.get(BASE + "/health").handler(ctx -> Responses.json(ctx, 200, Map.of("status", "UP")));
        r.get(BASE + "/openapi.json").handler(ctx -> ctx.response()
                .putHeader("Content-Type", "application/json").end(openApi));

        ViewRoutes.fromEnvironment().mount(r);

        BearerAuth auth = new BearerAuth(settings.token(), false);
        r.route(BASE + "/*").handler(auth);
        // Before the /_admin/* guard: the only route where the token may come as a query parameter.
        r.get("/_admin/register").handler(new BearerAuth(settings.token(), true)).handler(this::compatRegister);
        r.route("/_admin/*").handler(auth);
        JsonContentType json = new JsonContentType();
        for (String withBody : List.of(BASE + "/update", BASE + "/update/preview", BASE + "/rollback", BASE + "/register",
                BASE + "/children/:name/report")) {
            r.post(withBody).handler(json);
        }
        // Only the control plane reads bodies: gateway traffic streams through untouched.
        BodyHandler bodies = BodyHandler.create(false).setBodyLimit(settings.bodyLimit());
        r.route(BASE + "/*").handler(bodies);
        r.route("/_admin/*").handler(bodies);

        r.get(BASE + "/status").handler(ctx -> Responses.json(ctx, 200, stack.status()));
        r.get(BASE + "/status/events").handler(this::statusEvents);
        r.get(BASE + "/definition").handler(this::definition);
        r.post(BASE + "/update").handler(this::update);
        r.post(BASE + "/update/preview").handler(this::preview);
        r.post(BASE + "/rollback").handler(this::rollback);
        r.get(BASE + "/history").handler(history::list);
        r.get(BASE + "/history/:version").handler(history::get);
        r.get(BASE + "/history/:version/diff").handler(history::diff);
        r.get(BASE + "/events").handler(history::events);
        r.get(BASE + "/updates/:id").handler(this::updateView);
        r.get(BASE + "/updates/:id/events").handler(this::updateEvents);
        r.post(BASE + "/shutdown").handler(this::shutdown);
        r.post(BASE + "/register").handler(this::register);
        r.post(BASE + "/children/:name/report").handler(this::report);
        r.get(BASE + "/logs").handler(logs::handle);
        r.get("/_admin/status").handler(ctx -> Responses.json(ctx, 200, CompatStatus.of(stack.status())));
        r.get(BASE + "/routes").handler(routes::list);
        r.post(BASE + "/routes").handler(routes::add);
        r.get(BASE + "/routes/:name").handler(routes::get);
        r.delete(BASE + "/routes/:name").handler(routes::remove);
        if (gateway != null) {
            r.route().last().handler(gateway);
        }

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

    private void statusEvents(RoutingContext ctx) {
        EventStream events = EventStream.open(ctx, settings.keepAlive());
        Runnable unsubscribe = stack.watch(status -> events.send("status", ApiError.encode(status)));
        events.onClose(unsubscribe);
    }

    /** The body of an update or a preview, or empty after answering 400 with every problem. */
    private static Optional<UpdateRequest> updateRequest(RoutingContext ctx) {
        try {
            return Optional.of(UpdateBody.parse(ctx.body().asString()));
        } catch (InvalidRequest e) {
            ApiError.send(ctx, 400, "invalid update request", e.problems);
            return Optional.empty();
        }
    }

    private void update(RoutingContext ctx) {
        String actor = Actor.of(ctx);
        updateRequest(ctx).ifPresent(request -> startUpdate(ctx, () -> stack.update(request, actor)));
    }

    private void rollback(RoutingContext ctx) {
        JsonNode body;
        try {
            body = Json.MAPPER.readTree(ctx.body().asString() == null ? "" : ctx.body().asString());
        } catch (IOException e) {
            body = null;
        }
        JsonNode version = body == null ? null : body.get("version");
        if (version == null || !version.canConvertToInt() || !version.isIntegralNumber() || version.asInt() < 1) {
            ApiError.send(ctx, 400, "invalid rollback request", List.of("version: expected a version number (1 or more)"));
            return;
        }
        String actor = Actor.of(ctx);
        startUpdate(ctx, () -> stack.rollback(version.asInt(), actor));
    }

    private void startUpdate(RoutingContext ctx, Callable<Update> start) {
        vertx.executeBlocking(start).onComplete(result -> {
            if (result.succeeded()) {
                Update update = result.result();
                String location = BASE + "/updates/" + update.id();
                ctx.response().putHeader("Location", location);
                Responses.json(ctx, 202, Map.of("id", update.id(), "status", location,
                        "events", location + "/events"));
            } else if (result.cause() instanceof DefinitionException invalid) {
                ApiError.send(ctx, 400, "invalid stack definition", invalid.problems());
            } else if (result.cause() instanceof NoSuchVersionException missing) {
                ApiError.send(ctx, 404, missing.getMessage());
            } else if (result.cause() instanceof UpdateInProgressException
                    || result.cause() instanceof IllegalStateException
                    || result.cause() instanceof DefinitionHistory.HistoryException) {
                ApiError.send(ctx, 409, result.cause().getMessage());
            } else {
                ctx.fail(500, result.cause());
            }
        });
    }

    private void preview(RoutingContext ctx) {
        Optional<UpdateRequest> parsed = updateRequest(ctx);
        if (parsed.isEmpty()) {
            return;
        }
        UpdateRequest request = parsed.get();
        vertx.executeBlocking(() -> stack.preview(request)).onComplete(result -> {
            if (result.succeeded()) {
                Responses.json(ctx, 200, result.result());
            } else if (result.cause() instanceof DefinitionException invalid) {
                ApiError.send(ctx, 400, "invalid stack definition", invalid.problems());
            } else {
                ctx.fail(500, result.cause());
            }
        });
    }

    private void definition(RoutingContext ctx) {
        stack.appliedDefinition().ifPresentOrElse(
                applied -> Responses.json(ctx, 200, applied),
                () -> ApiError.send(ctx, 404, "no definition applied yet"));
    }

    private void updateView(RoutingContext ctx) {
        stack.findUpdate(ctx.pathParam("id")).ifPresentOrElse(
                update -> Responses.json(ctx, 200, update.view()),
                () -> ApiError.send(ctx, 404, "no such update: " + ctx.pathParam("id")));
    }

    private void updateEvents(RoutingContext ctx) {
        var found = stack.findUpdate(ctx.pathParam("id"));
        if (found.isEmpty()) {
            ApiError.send(ctx, 404, "no such update: " + ctx.pathParam("id"));
            return;
        }
        EventStream events = EventStream.open(ctx, settings.keepAlive());
        Runnable unsubscribe = found.get().subscribe(new Update.Listener() {
            @Override
            public void event(org.ailtire.stack.UpdateEvent event) {
                events.send("progress", ApiError.encode(event));
            }

            @Override
            public void finished(Update.View outcome) {
                events.send("end", ApiError.encode(Map.of("id", outcome.id(), "state", outcome.state())));
                events.end();
            }
        });
        events.onClose(unsubscribe);
    }

    private void shutdown(RoutingContext ctx) {
        stack.shutdown(Actor.of(ctx)).whenComplete((ok, failure) -> {
            if (failure != null) {
                LOG.error("shutdown of {} failed", stack.name(), failure);
            }
        });
        Responses.json(ctx, 202, Map.of("state", Status.State.STOPPING, "status", BASE + "/status"));
    }

    private void register(RoutingContext ctx) {
        Map<?, ?> body;
        try {
            body = Json.MAPPER.readValue(ctx.body().asString() == null ? "" : ctx.body().asString(), Map.class);
        } catch (IOException e) {
            ApiError.send(ctx, 400, "invalid registration", List.of("body: expected {name, url, service}"));
            return;
        }
        if (body == null) {
            ApiError.send(ctx, 400, "invalid registration", List.of("body: expected {name, url, service}"));
            return;
        }
        registerChild(ctx, text(body.get("name")), text(body.get("url")), text(body.get("service")), false);
    }

    private void compatRegister(RoutingContext ctx) {
        String url = ctx.request().getParam("url");
        // The sidecar sent host:port without a scheme.
        if (url != null && !url.contains("://")) {
            url = "http://" + url;
        }
        registerChild(ctx, ctx.request().getParam("name"), url, ctx.request().getParam("service"), true);
    }

    private void registerChild(RoutingContext ctx, String name, String url, String service, boolean compat) {
        Registration registration;
        try {
            registration = new Registration(name, url, service == null && compat ? "service" : service);
        } catch (IllegalArgumentException | NullPointerException e) {
            ApiError.send(ctx, 400, "invalid registration", List.of(String.valueOf(e.getMessage())));
            return;
        }
        if (compat && registration.name().equals(stack.name())) {
            // The sidecar ignored a registration under its own name and still answered ok.
            Responses.json(ctx, 200, Map.of("status", "ok"));
            return;
        }
        ChildRegistry.Child child;
        try {
            child = stack.register(registration);
        } catch (IllegalArgumentException e) {
            ApiError.send(ctx, 400, "invalid registration", List.of(e.getMessage()));
            return;
        } catch (IllegalStateException e) {
            ApiError.send(ctx, 409, e.getMessage());
            return;
        }
        if (compat) {
            Responses.json(ctx, 200, Map.of("status", "ok"));
        } else {
            Responses.json(ctx, 200, Map.of("name", child.registration().name(),
                    "heartbeatIntervalSeconds", stack.children().heartbeatInterval().toSeconds(),
                    "report", BASE + "/children/" + child.registration().name() + "/report"));
        }
    }

    private void report(RoutingContext ctx) {
        String name = ctx.pathParam("name");
        Status reported;
        try {
            reported = Json.MAPPER.readValue(ctx.body().asString() == null ? "" : ctx.body().asString(),
                    Status.class);
        } catch (IOException | IllegalArgumentException e) {
            String why = e instanceof com.fasterxml.jackson.core.JsonProcessingException parse
                    ? JsonProblem.describe(parse) : "body: " + e.getMessage();
            ApiError.send(ctx, 400, "invalid status report", List.of(why));
            return;
        }
        if (reported == null) {
            ApiError.send(ctx, 400, "invalid status report", List.of("body: expected a status"));
        } else if (stack.report(name, reported)) {
            ctx.response().setStatusCode(204).end();
        } else {
            ApiError.send(ctx, 404, "child stack not registered: " + name + "; register again");
        }
    }

    private static String text(Object value) {
        return value instanceof String s ? s : null;
    }

    /** Logs: JSON lines, or Server-Sent Events when following; follows are bounded. */
    static final class LogRoutes {
        private final Stack stack;
        private final ServerSettings settings;
        private final java.util.concurrent.atomic.AtomicInteger follows = new java.util.concurrent.atomic.AtomicInteger();

        LogRoutes(Stack stack, ServerSettings settings) {
            this.stack = stack;
            this.settings = settings;
        }

        void handle(RoutingContext ctx) {
            LogRequest request;
            try {
                request = LogQuery.parse(ctx.queryParams());
            } catch (InvalidRequest e) {
                ApiError.send(ctx, 400, "invalid log request", e.problems);
                return;
            }
            if (request.follow()) {
                follow(ctx, request);
            } else {
                lines(ctx, request);
            }
        }

        private void lines(RoutingContext ctx, LogRequest request) {
            var context = ctx.vertx().getOrCreateContext();
            var response = ctx.response();
            boolean[] started = {false};
            try {
                stack.log(request, new org.ailtire.stack.LogSink() {
                    @Override
                    public void line(org.ailtire.stack.LogLine line) {
                        String json = ApiError.encode(line) + "\n";
                        context.runOnContext(v -> {
                            if (!started[0]) {
                                started[0] = true;
                                response.setChunked(true).putHeader("Content-Type", "application/x-ndjson");
                            }
                            if (!response.ended()) {
                                response.write(json);
                            }
                        });
                    }

                    @Override
                    public void end(Throwable failure) {
                        context.runOnContext(v -> {
                            if (response.ended()) {
                                return;
                            }
                            if (!started[0] && failure != null) {
                                ApiError.send(ctx, 502, "reading logs failed: " + failure.getMessage());
                            } else {
                                if (!started[0]) {
                                    response.putHeader("Content-Type", "application/x-ndjson");
                                }
                                response.end();
                            }
                        });
                    }
                });
            } catch (NoSuchServiceException e) {
                ApiError.send(ctx, 404, e.getMessage());
            }
        }

        private void follow(RoutingContext ctx, LogRequest request) {
            if (follows.incrementAndGet() > settings.maxFollows()) {
                follows.decrementAndGet();
                ApiError.send(ctx, 429, "too many log streams followed at once (limit " + settings.maxFollows()
                        + ")");
                return;
            }
            EventStream events = new EventStream(ctx, settings.keepAlive());
            AutoCloseable source;
            try {
                source = stack.log(request, new org.ailtire.stack.LogSink() {
                    @Override
                    public void line(org.ailtire.stack.LogLine line) {
                        events.send("log", ApiError.encode(line));
                    }

                    @Override
                    public void end(Throwable failure) {
                        events.send("end", ApiError.encode(Map.of("error",
                                failure == null ? "" : String.valueOf(failure.getMessage()))));
                        events.end();
                    }
                });
            } catch (NoSuchServiceException e) {
                follows.decrementAndGet();
                events.abandon();
                ApiError.send(ctx, 404, e.getMessage());
                return;
            }
            events.start();
            events.onClose(() -> {
                follows.decrementAndGet();
                try {
                    source.close();
                } catch (Exception e) {
                    LOG.warn("closing a followed log stream failed", e);
                }
            });
        }
    }
}
