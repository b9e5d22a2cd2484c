package org.ailtire.api;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.ailtire.gateway.RouteTable;
import org.ailtire.stack.LogLine;
import org.ailtire.stack.LogRequest;
import org.ailtire.stack.LogSink;
import org.ailtire.stack.NoSuchServiceException;
import org.ailtire.stack.Stack;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Compatibility mode only: the original sidecar's admin routes an original ailtire parent calls on its child, served
 * without a token as the original does ({@code /_admin/status}, {@code /_admin/log}, {@code /_admin/shutdown},
 * {@code /_admin/route/list}, {@code /_admin/route/show}). Outside compatibility mode none of this is mounted and
 * {@code /_admin/*} needs the token.
 *
 * @param stackName         this stack's engine namespace (its {@code AILTIRE_STACKNAME})
 * @param childGatewayPort  the port child stacks' gateways serve routed traffic on
 * @param exitAfterShutdown ends the process once {@code /_admin/shutdown} removed the stack and answered
 */
public record OriginalAdmin(String stackName, int childGatewayPort, Runnable exitAfterShutdown) {
    private static final Logger LOG = LoggerFactory.getLogger(OriginalAdmin.class);

    public OriginalAdmin {
        Objects.requireNonNull(stackName, "stackName");
        Objects.requireNonNull(exitAfterShutdown, "exitAfterShutdown");
    }

    /** Mounts the routes, in front of the token guard of {@code /_admin/*}. */
    void mount(Router router, Stack stack, RouteTable routes) {
        router.get("/_admin/status").handler(ctx -> Responses.json(ctx, 200,
                OriginalStatus.of(stackName, routes.all(), stack.tasks(), stack.status(), childGatewayPort)));
        router.get("/_admin/log").handler(ctx -> log(ctx, stack));
        router.get("/_admin/shutdown").handler(ctx -> shutdown(ctx, stack));
        router.get("/_admin/route/list").handler(ctx -> Responses.json(ctx, 200,
                OriginalStatus.interfaces(routes.all(), childGatewayPort)));
        router.get("/_admin/route/show").handler(ctx -> {
            String id = ctx.queryParams().get("id");
            Object route = id == null ? null : OriginalStatus.interfaces(routes.all(), childGatewayPort).get(id);
            if (route == null) {
                text(ctx, 404, "no route with the prefix " + id + "\n");
            } else {
                Responses.json(ctx, 200, route);
            }
        });
    }

    /**
     * The service a task key of the original's status names: {@code shop_web-1} (or the service's engine name
     * {@code shop_web}) is this stack's service {@code web}.
     */
    Optional<String> serviceOf(String taskKey) {
        String service = taskKey.replaceFirst("-[0-9]+$", "");
        String prefix = stackName + "_";
        if (!service.startsWith(prefix) || service.length() == prefix.length()) {
            return Optional.empty();
        }
        return Optional.of(service.substring(prefix.length()));
    }

    private void log(RoutingContext ctx, Stack stack) {
        String name = ctx.queryParams().get("name");
        Optional<String> service = name == null ? Optional.empty() : serviceOf(name);
        if (service.isEmpty()) {
            text(ctx, 400, "name: expected a task of stack " + stackName + " (" + stackName + "_<service>-<slot>), got "
                    + name + "\n");
            return;
        }
        var context = ctx.vertx().getOrCreateContext();
        List<String> stdout = new ArrayList<>();
        List<String> stderr = new ArrayList<>();
        try {
            stack.log(new LogRequest(service, LogRequest.MAX_TAIL, Optional.empty(), LogRequest.Streams.BOTH, false),
                    new LogSink() {
                        @Override
                        public synchronized void line(LogLine line) {
                            (line.stream() == LogLine.Stream.STDERR ? stderr : stdout).add(line.text());
                        }

                        @Override
                        public void end(Throwable failure) {
                            Map<String, Object> lines = new LinkedHashMap<>();
                            synchronized (this) {
                                lines.put("stdout", List.copyOf(stdout));
                                lines.put("stderr", List.copyOf(stderr));
                            }
                            context.runOnContext(v -> {
                                if (failure != null && stdout.isEmpty() && stderr.isEmpty()) {
                                    text(ctx, 502, "reading the logs of " + name + " failed: " + failure.getMessage()
                                            + "\n");
                                } else {
                                    Responses.json(ctx, 200, lines);
                                }
                            });
                        }
                    });
        } catch (NoSuchServiceException | IllegalArgumentException e) {
            text(ctx, 404, e.getMessage() + "\n");
        }
    }

    /** Removes the stack bottom-up (child stacks first), answers as text, then the process ends, as the original's. */
    private void shutdown(RoutingContext ctx, Stack stack) {
        var context = ctx.vertx().getOrCreateContext();
        stack.shutdown("original parent").whenComplete((ok, failure) -> context.runOnContext(v -> {
            if (failure != null) {
                LOG.error("shutdown of {} asked by the original parent failed", stackName, failure);
                text(ctx, 500, "Removing stack " + stackName + " failed: " + failure.getMessage() + "\n");
                return;
            }
            ctx.response().setStatusCode(200).putHeader("Content-Type", "text/plain; charset=utf-8")
                    .end("Removed stack " + stackName + "\n")
                    .onComplete(done -> exitAfterShutdown.run());
        }));
    }

    private static void text(RoutingContext ctx, int status, String body) {
        ctx.response().setStatusCode(status).putHeader("Content-Type", "text/plain; charset=utf-8").end(body);
    }
}
