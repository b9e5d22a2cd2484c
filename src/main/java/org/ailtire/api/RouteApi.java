package org.ailtire.api;

import io.vertx.ext.web.RoutingContext;
import org.ailtire.definition.RouteFirewall;
import org.ailtire.gateway.Route;
import org.ailtire.gateway.RouteTable;
import org.ailtire.stack.Json;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code /api/v1/routes}: the gateway's routes, declared and runtime; runtime ones can be added and removed. */
final class RouteApi {
    private final RouteTable routes;

    RouteApi(RouteTable routes) {
        this.routes = routes;
    }

    void list(RoutingContext ctx) {
        Responses.json(ctx, 200, routes.all().stream().map(RouteApi::view).toList());
    }

    void get(RoutingContext ctx) {
        routes.find(ctx.pathParam("name")).ifPresentOrElse(route -> Responses.json(ctx, 200, view(route)),
                () -> ApiError.send(ctx, 404, "no such route: " + ctx.pathParam("name")));
    }

    void add(RoutingContext ctx) {
        Map<?, ?> body;
        try {
            String text = ctx.body().asString();
            body = Json.MAPPER.readValue(text == null ? "" : text, Map.class);
        } catch (IOException e) {
            body = null;
        }
        if (body == null) {
            ApiError.send(ctx, 400, "invalid route", List.of("body: expected {name, path, service, port, rewrite, protocol, host}"
                    + " and the firewall keys rate_limit, allow, auth, max_body, timeout, retries"));
            return;
        }
        try {
            Route route = routes.add(body);
            ctx.response().putHeader("Location", ControlPlane.BASE + "/routes/" + route.name());
            Responses.json(ctx, 201, view(route));
        } catch (RouteTable.Refused e) {
            ApiError.send(ctx, e.conflict() ? 409 : 400, e.getMessage(), e.problems());
        }
    }

    void remove(RoutingContext ctx) {
        String name = ctx.pathParam("name");
        if (routes.remove(name).isPresent()) {
            ctx.response().setStatusCode(204).end();
        } else if (routes.find(name).isPresent()) {
            ApiError.send(ctx, 409, "route " + name + " is declared in the stack's definition; update the definition"
                    + " to remove it");
        } else {
            ApiError.send(ctx, 404, "no such route: " + name);
        }
    }

    static Map<String, Object> view(Route route) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("name", route.name());
        view.put("path", route.path());
        view.put("service", route.target().service());
        if (route.target().childStack()) {
            view.put("childStack", true);
        } else {
            view.put("port", route.target().port());
        }
        view.put("rewrite", route.rewrite());
        view.put("protocol", route.protocol().name().toLowerCase(java.util.Locale.ROOT));
        if (!route.host().isEmpty()) {
            view.put("host", route.host());
        }
        view.put("origin", route.origin().name().toLowerCase(java.util.Locale.ROOT));
        firewall(route.firewall(), view);
        return view;
    }

    /** The firewall keys as declared, the password hashes left out. */
    private static void firewall(RouteFirewall firewall, Map<String, Object> view) {
        firewall.rateLimit().ifPresent(limit -> view.put("rate_limit",
                Map.of("requests", limit.requests(), "per", limit.per().toMillis() + "ms")));
        if (!firewall.allow().isEmpty()) {
            view.put("allow", firewall.allow());
        }
        firewall.auth().ifPresent(auth -> view.put("auth", Map.of("users", List.copyOf(auth.users().keySet()))));
        firewall.maxBody().ifPresent(bytes -> view.put("max_body", bytes));
        firewall.timeout().ifPresent(timeout -> view.put("timeout", timeout.toMillis() + "ms"));
        firewall.retries().ifPresent(retries -> view.put("retries", retries));
    }
}
