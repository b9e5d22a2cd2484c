package org.ailtire.api;

import io.vertx.ext.web.RoutingContext;
import org.ailtire.stack.ChildRegistry;
import org.ailtire.stack.Json;
import org.ailtire.stack.Registration;
import org.ailtire.stack.Stack;
import org.ailtire.stack.Status;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * Child stacks registering and reporting: {@code POST /api/v1/register}, {@code POST /api/v1/children/{name}/report}
 * and the original sidecar's {@code GET /_admin/register}. Each takes this stack's token or the token of the child it
 * names (see {@link ChildAuth}).
 */
final class RegistryApi {
    private final Stack stack;
    private final ChildAuth auth;

    RegistryApi(Stack stack, ChildAuth auth) {
        this.stack = stack;
        this.auth = auth;
    }

    /** Before {@code POST /register}'s body is read (the name is in it): some bearer token at all. */
    void requireBearer(RoutingContext ctx) {
        auth.requireBearer(ctx, false);
    }

    /** Before a report's body is read: the token of the child in the path (or this stack's). */
    void requireChildOfPath(RoutingContext ctx) {
        if (auth.mayActFor(ctx, ctx.pathParam("name"), false)) {
            ctx.next();
        } else {
            BearerAuth.refuse(ctx);
        }
    }

    void register(RoutingContext ctx) {
        Map<?, ?> body;
        try {
            body = Json.MAPPER.readValue(ctx.body().asString() == null ? "" : ctx.body().asString(), Map.class);
        } catch (IOException e) {
            body = null;
        }
        if (body == null) {
            ApiError.send(ctx, 400, "invalid registration", List.of("body: expected {name, url, service}"));
            return;
        }
        String name = text(body.get("name"));
        if (!auth.mayActFor(ctx, name, false)) {
            BearerAuth.refuse(ctx);
            return;
        }
        register(ctx, name, text(body.get("url")), text(body.get("service")), false);
    }

    /**
     * The original's register call. With a token, as a child of ours; without one, only an original child stack of
     * this stack calling from its own task (see {@link Stack#registerOriginal}); anything else is refused (401).
     */
    void compatRegister(RoutingContext ctx) {
        if (BearerAuth.presented(ctx, true) == null) {
            originalRegister(ctx);
            return;
        }
        if (!auth.mayActFor(ctx, ctx.request().getParam("name"), true)) {
            BearerAuth.refuse(ctx);
            return;
        }
        String url = ctx.request().getParam("url");
        // The sidecar sent host:port without a scheme.
        if (url != null && !url.contains("://")) {
            url = "http://" + url;
        }
        register(ctx, ctx.request().getParam("name"), url, ctx.request().getParam("service"), true);
    }

    /** Off the event loop: whether the caller is one of the child's tasks is asked of the engine. */
    private void originalRegister(RoutingContext ctx) {
        var caller = ctx.request().remoteAddress();
        String service = ctx.request().getParam("service");
        ctx.vertx().executeBlocking(() -> stack.registerOriginal(service, caller == null ? null : caller.hostAddress()))
                .onComplete(result -> {
                    if (result.failed()) {
                        if (result.cause() instanceof IllegalStateException shuttingDown) {
                            ApiError.send(ctx, 409, shuttingDown.getMessage());
                        } else {
                            ctx.fail(500, result.cause());
                        }
                    } else if (result.result().isEmpty()) {
                        BearerAuth.refuse(ctx);
                    } else {
                        Responses.json(ctx, 200, Map.of("status", "ok"));
                    }
                });
    }

    void report(RoutingContext ctx) {
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

    private void register(RoutingContext ctx, String name, String url, String service, boolean compat) {
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
                    "report", ControlPlane.BASE + "/children/" + child.registration().name() + "/report"));
        }
    }

    private static String text(Object value) {
        return value instanceof String s ? s : null;
    }
}
