package org.ailtire.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import org.ailtire.definition.DefinitionException;
import org.ailtire.definition.DefinitionTooLargeException;
import org.ailtire.stack.DefinitionHistory;
import org.ailtire.stack.Json;
import org.ailtire.stack.NoSuchVersionException;
import org.ailtire.stack.ServiceOverrides;
import org.ailtire.stack.Stack;
import org.ailtire.stack.Update;
import org.ailtire.stack.UpdateEvent;
import org.ailtire.stack.UpdateInProgressException;
import org.ailtire.stack.UpdateRequest;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code /api/v1/definition}, {@code /update}, {@code /update/preview}, {@code /rollback}, {@code /redeploy},
 * {@code /services/{name}/scale} and {@code /services/{name}/redeploy}, and {@code /updates/{id}} (with its event
 * stream): what the stack runs and how it changes.
 */
final class UpdateApi {
    /** How many update event streams may be open at once, over all updates (429 beyond). */
    static final int MAX_SUBSCRIBERS = 64;
    private final StreamCap subscribers = new StreamCap("update event streams", MAX_SUBSCRIBERS);

    /** Update event streams open now, for the metrics. */
    int openStreams() {
        return subscribers.open();
    }
    private final Vertx vertx;
    private final Stack stack;
    private final ServerSettings settings;

    UpdateApi(Vertx vertx, Stack stack, ServerSettings settings) {
        this.vertx = vertx;
        this.stack = stack;
        this.settings = settings;
    }

    void definition(RoutingContext ctx) {
        stack.appliedDefinition().ifPresentOrElse(
                applied -> Responses.json(ctx, 200, applied),
                () -> ApiError.send(ctx, 404, "no definition applied yet"));
    }

    void update(RoutingContext ctx) {
        String actor = Actor.of(ctx);
        updateRequest(ctx).ifPresent(request -> start(ctx, "invalid stack definition",
                () -> stack.update(request, actor)));
    }

    void rollback(RoutingContext ctx) {
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
        start(ctx, "invalid stack definition", () -> stack.rollback(version.asInt(), actor));
    }

    /** {@code POST /services/{name}/scale} with {@code {"replicas": N}}: an update of that one service's replicas. */
    void scale(RoutingContext ctx) {
        String service = ctx.pathParam("name");
        JsonNode replicas = jsonBody(ctx).map(body -> body.get("replicas")).orElse(null);
        if (replicas == null || !replicas.isIntegralNumber() || !replicas.canConvertToInt() || replicas.asInt() < 0
                || replicas.asInt() > ServiceOverrides.MAX_REPLICAS) {
            ApiError.send(ctx, 400, "invalid scale request", List.of("replicas: expected an integer from 0 to "
                    + ServiceOverrides.MAX_REPLICAS));
            return;
        }
        String actor = Actor.of(ctx);
        start(ctx, "cannot scale service " + service, () -> stack.scale(service, replicas.asInt(), actor));
    }

    /** {@code POST /services/{name}/redeploy}: that service's tag resolved again and its tasks replaced. */
    void redeployService(RoutingContext ctx) {
        String service = ctx.pathParam("name");
        String actor = Actor.of(ctx);
        start(ctx, "cannot redeploy service " + service, () -> stack.redeploy(Set.of(service), actor));
    }

    /** {@code POST /redeploy} with {@code {"services": [...]}}, or no body: the named services, or all own ones. */
    void redeploy(RoutingContext ctx) {
        Set<String> named;
        try {
            named = ServiceNames.parse(ctx.body().asString());
        } catch (InvalidRequest e) {
            ApiError.send(ctx, 400, "invalid redeploy request", e.problems);
            return;
        }
        String actor = Actor.of(ctx);
        start(ctx, "cannot redeploy", () -> stack.redeploy(named, actor));
    }

    private static boolean blank(RoutingContext ctx) {
        return ctx.body().asString() == null || ctx.body().asString().isBlank();
    }

    /** The body as a JSON object; empty when there is none or it is not one. */
    private static Optional<JsonNode> jsonBody(RoutingContext ctx) {
        if (blank(ctx)) {
            return Optional.empty();
        }
        try {
            JsonNode body = Json.MAPPER.readTree(ctx.body().asString());
            return body != null && body.isObject() ? Optional.of(body) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    void preview(RoutingContext ctx) {
        Optional<UpdateRequest> parsed = updateRequest(ctx);
        if (parsed.isEmpty()) {
            return;
        }
        UpdateRequest request = parsed.get();
        vertx.executeBlocking(() -> stack.preview(request)).onComplete(result -> {
            if (result.succeeded()) {
                Responses.json(ctx, 200, result.result());
            } else if (result.cause() instanceof DefinitionException invalid) {
                ApiError.send(ctx, status(invalid), "invalid stack definition", invalid.problems());
            } else {
                ctx.fail(500, result.cause());
            }
        });
    }

    void view(RoutingContext ctx) {
        stack.findUpdate(ctx.pathParam("id")).ifPresentOrElse(
                update -> Responses.json(ctx, 200, update.view()),
                () -> ApiError.send(ctx, 404, "no such update: " + ctx.pathParam("id")));
    }

    void events(RoutingContext ctx) {
        var found = stack.findUpdate(ctx.pathParam("id"));
        if (found.isEmpty()) {
            ApiError.send(ctx, 404, "no such update: " + ctx.pathParam("id"));
            return;
        }
        if (!subscribers.tryOpen(ctx)) {
            return;
        }
        EventStream events = EventStream.open(ctx, settings.keepAlive());
        Runnable unsubscribe = found.get().subscribe(new Update.Listener() {
            @Override
            public void event(UpdateEvent event) {
                events.send("progress", ApiError.encode(event));
            }

            @Override
            public void finished(Update.View outcome) {
                events.send("end", ApiError.encode(Map.of("id", outcome.id(), "state", outcome.state())));
                events.end();
            }
        });
        events.onClose(() -> {
            subscribers.closed();
            unsubscribe.run();
        });
    }

    /** 413 for a definition refused for its (expanded) size, 400 for any other invalid one. */
    private static int status(DefinitionException invalid) {
        return invalid instanceof DefinitionTooLargeException ? 413 : 400;
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

    /** @param refused the title of the answer when the definition, or what is asked of it, cannot be applied */
    private void start(RoutingContext ctx, String refused, Callable<Update> start) {
        vertx.executeBlocking(start).onComplete(result -> {
            if (result.succeeded()) {
                Update update = result.result();
                String location = ControlPlane.BASE + "/updates/" + update.id();
                ctx.response().putHeader("Location", location);
                Responses.json(ctx, 202, Map.of("id", update.id(), "status", location,
                        "events", location + "/events"));
            } else if (result.cause() instanceof DefinitionException invalid) {
                ApiError.send(ctx, status(invalid), refused, invalid.problems());
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
}
