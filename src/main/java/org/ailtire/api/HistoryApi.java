package org.ailtire.api;

import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import org.ailtire.stack.DefinitionDiff;
import org.ailtire.stack.DefinitionVersion;
import org.ailtire.stack.Stack;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * {@code /api/v1/history}: the definitions the stack applied or tried, one version each, their diffs, and
 * {@code /api/v1/events}: who did what to the stack, and when. Reading only; rollback starts an update (in
 * {@link UpdateApi}).
 */
final class HistoryApi {
    private final Vertx vertx;
    private final Stack stack;

    HistoryApi(Vertx vertx, Stack stack) {
        this.vertx = vertx;
        this.stack = stack;
    }

    void list(RoutingContext ctx) {
        int current = stack.appliedDefinition().map(a -> a.version()).orElse(0);
        withVersions(ctx, versions -> Responses.json(ctx, 200, Map.of("current", current,
                "versions", versions.stream().map(DefinitionVersion::summary).toList())));
    }

    /**
     * Reads the kept versions off the event loop (an engine keeps them where reading is I/O: swarm configs), once
     * per request, then answers on the request's context.
     */
    private void withVersions(RoutingContext ctx, Consumer<List<DefinitionVersion>> answer) {
        vertx.executeBlocking(stack::versions).onComplete(read -> {
            if (read.succeeded()) {
                answer.accept(read.result());
            } else {
                ctx.fail(500, read.cause());
            }
        });
    }

    private static Optional<DefinitionVersion> find(List<DefinitionVersion> versions, int number) {
        return versions.stream().filter(v -> v.version() == number).findFirst();
    }

    void get(RoutingContext ctx) {
        Optional<Integer> number = version(ctx, ctx.pathParam("version"), "version");
        if (number.isEmpty()) {
            return;
        }
        withVersions(ctx, versions -> find(versions, number.get()).ifPresentOrElse(v -> Responses.json(ctx, 200, v),
                () -> ApiError.send(ctx, 404, "no definition version " + number.get() + " in the history")));
    }

    /** The diff from {@code ?against=N} (default: the version applied now) to the version in the path. */
    void diff(RoutingContext ctx) {
        Optional<Integer> to = version(ctx, ctx.pathParam("version"), "version");
        if (to.isEmpty()) {
            return;
        }
        String againstParam = ctx.request().getParam("against");
        Optional<Integer> from;
        if (againstParam == null) {
            from = stack.appliedDefinition().map(a -> a.version()).filter(v -> v > 0);
            if (from.isEmpty()) {
                ApiError.send(ctx, 409, "no version is applied now; name one with ?against=N");
                return;
            }
        } else {
            from = version(ctx, againstParam, "against");
            if (from.isEmpty()) {
                return;
            }
        }
        int fromNumber = from.get();
        withVersions(ctx, versions -> {
            Optional<DefinitionVersion> fromVersion = find(versions, fromNumber);
            Optional<DefinitionVersion> toVersion = find(versions, to.get());
            if (fromVersion.isEmpty() || toVersion.isEmpty()) {
                ApiError.send(ctx, 404, "no definition version "
                        + (fromVersion.isEmpty() ? fromNumber : to.get()) + " in the history");
                return;
            }
            // Off the event loop: the diff is bounded (DefinitionDiff.MAX_LINES, MAX_TIME) but may still take a while.
            vertx.executeBlocking(() -> DefinitionDiff.unified("version " + fromNumber, fromVersion.get().definition(),
                    "version " + to.get(), toVersion.get().definition()), false).onComplete(diff -> {
                if (diff.succeeded()) {
                    Responses.json(ctx, 200, Map.of("from", fromNumber, "to", to.get(), "diff", diff.result()));
                } else {
                    ctx.fail(500, diff.cause());
                }
            });
        });
    }

    void events(RoutingContext ctx) {
        String since = ctx.request().getParam("since");
        long after = 0;
        if (since != null) {
            try {
                after = Long.parseLong(since);
                if (after < 0) {
                    throw new NumberFormatException();
                }
            } catch (NumberFormatException e) {
                ApiError.send(ctx, 400, "invalid query", List.of("since: expected an event sequence number (0 or more)"));
                return;
            }
        }
        Responses.json(ctx, 200, Map.of("events", stack.events().since(after)));
    }

    /** A version number from the request, or empty after answering 400. */
    static Optional<Integer> version(RoutingContext ctx, String text, String name) {
        try {
            int version = Integer.parseInt(text == null ? "" : text);
            if (version < 1) {
                throw new NumberFormatException();
            }
            return Optional.of(version);
        } catch (NumberFormatException e) {
            ApiError.send(ctx, 400, "invalid request", List.of(name + ": expected a version number (1 or more)"));
            return Optional.empty();
        }
    }
}
