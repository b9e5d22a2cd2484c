package org.ailtire.gateway;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.dns.AddressResolverOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.internal.resolver.NameResolver;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;
import io.vertx.httpproxy.Body;
import io.vertx.httpproxy.HttpProxy;
import io.vertx.httpproxy.ProxyContext;
import io.vertx.httpproxy.ProxyInterceptor;
import io.vertx.httpproxy.ProxyOptions;
import io.vertx.httpproxy.ProxyResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The stack's only door: a reverse proxy on the control plane's port for every path the control plane does not own.
 * A request goes to the route with the longest matching prefix, to a target named by key only (so nothing outside
 * the stack is reachable); responses stream through, WebSocket upgrades pass on {@code ws} routes. Failures are
 * JSON naming the route: 404 no route, 502 target refused or down, 503 child stack unreachable or not registered,
 * 504 target too slow.
 */
public final class Gateway implements Handler<RoutingContext>, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);
    private static final int MAX_PROXIES = 1024;

    private final RouteTable routes;
    private final TargetResolver resolver;
    private final GatewaySettings settings;
    // Kept in a field: an unreferenced client is closed when collected.
    private final HttpClient client;
    private final NameResolver names;
    private final Map<ProxyKey, HttpProxy> proxies = new ConcurrentHashMap<>();

    private record ProxyKey(Route route, TargetResolver.Address address) {
    }

    public Gateway(Vertx vertx, RouteTable routes, TargetResolver resolver, GatewaySettings settings) {
        this.routes = routes;
        this.resolver = resolver;
        this.settings = settings;
        this.client = vertx.createHttpClient(new HttpClientOptions()
                        .setKeepAlive(true)
                        .setKeepAliveTimeout(60)
                        .setConnectTimeout((int) settings.connectTimeout().toMillis()),
                new PoolOptions().setHttp1MaxSize(settings.poolSize()));
        this.names = new NameResolver(vertx, new AddressResolverOptions()
                .setCacheMaxTimeToLive(0)
                .setCacheNegativeTimeToLive(0)
                .setRoundRobinInetAddress(true));
    }

    public RouteTable routes() {
        return routes;
    }

    /** Whether a path belongs to the control plane rather than to the gateway. */
    public static boolean isControlPlane(String path) {
        return path.startsWith("/api/") || path.startsWith("/_admin/") || path.startsWith("/_ailtire/");
    }

    @Override
    public void handle(RoutingContext ctx) {
        if (isControlPlane(ctx.normalizedPath()) || isControlPlane(ctx.request().path())) {
            ctx.next();
            return;
        }
        handle(ctx.request());
    }

    /** Proxies one request that is not the control plane's (callable without a router, e.g. by a front dispatcher). */
    public void handle(HttpServerRequest request) {
        String path = request.path();
        if (path == null || !isNormal(path)) {
            error(request, 400, "path " + path + " is not in normal form (no dot segments, doubled slashes or"
                    + " encoded dots)", null);
            return;
        }
        var found = routes.match(path);
        if (found.isEmpty()) {
            error(request, 404, "no route for " + path, null);
            return;
        }
        Route route = found.get();
        if (route.protocol() == Route.Protocol.HTTP && request.canUpgradeToWebSocket()) {
            error(request, 400, "route " + route.name() + " (" + route.path() + ") does not pass WebSocket upgrades"
                    + " (protocol http; declare protocol: ws)", route);
            return;
        }
        TargetResolver.Address address;
        try {
            address = resolver.resolve(route.target());
        } catch (TargetResolver.Unavailable e) {
            error(request, e.status(), "route " + route.name() + " (" + route.path() + "): " + e.getMessage(), route);
            return;
        }
        proxy(route, address).handle(request);
    }

    /** No {@code .} or {@code ..} segment, no empty segment, no encoded dot or slash: what a route matches is what the target gets. */
    static boolean isNormal(String path) {
        if (!path.startsWith("/") || path.contains("//") || path.contains("%2e") || path.contains("%2E")
                || path.contains("%2f") || path.contains("%2F")) {
            return false;
        }
        for (String segment : path.split("/", -1)) {
            if (segment.equals(".") || segment.equals("..")) {
                return false;
            }
        }
        return true;
    }

    private HttpProxy proxy(Route route, TargetResolver.Address address) {
        ProxyKey key = new ProxyKey(route, address);
        HttpProxy proxy = proxies.get(key);
        if (proxy != null) {
            return proxy;
        }
        if (proxies.size() >= MAX_PROXIES) {
            proxies.clear(); // routes or addresses changed a lot; the client and its pool are shared anyway
        }
        return proxies.computeIfAbsent(key, k -> newProxy(route, address));
    }

    private HttpProxy newProxy(Route route, TargetResolver.Address address) {
        boolean webSocket = route.protocol() == Route.Protocol.WS;
        HttpProxy proxy = HttpProxy.reverseProxy(new ProxyOptions().setSupportWebSocket(webSocket), client);
        // A target's name is resolved for every request and the client is given the address as text: a service
        // name has one address per task (dnsrr), and they change when the service rolls. Given the name (or an
        // address still carrying it), the client pools by name and kept connecting to the first address it
        // resolved, a replaced task's, for as long as traffic went on. The resolver caches nothing (the engine's
        // DNS is local) and takes a name's addresses in turn.
        proxy.origin(context -> names.resolve(address.host()).compose(ip -> context.client().request(
                new RequestOptions()
                        .setServer(SocketAddress.inetSocketAddress(address.port(), ip.getHostAddress()))
                        .setConnectTimeout(settings.connectTimeout().toMillis())
                        .setIdleTimeout(settings.idleTimeout().toMillis()))));
        proxy.addInterceptor(new RouteInterceptor(route), webSocket);
        return proxy;
    }

    /** Rewrites the path, sets the X-Forwarded-* headers and turns origin failures into JSON errors. */
    private final class RouteInterceptor implements ProxyInterceptor {
        private final Route route;

        RouteInterceptor(Route route) {
            this.route = route;
        }

        @Override
        public Future<ProxyResponse> handleProxyRequest(ProxyContext context) {
            var proxied = context.request();
            HttpServerRequest incoming = proxied.proxiedRequest();
            String query = incoming.query();
            proxied.setURI(route.rewrite(incoming.path()) + (query == null ? "" : "?" + query));
            forwardedHeaders(incoming, proxied.headers());
            return context.sendRequest().recover(failure -> {
                int status = statusOf(failure);
                String message = "route " + route.name() + " (" + route.path() + "): " + route.target()
                        + (status == 504 ? " did not answer within " + timeoutOf(failure) : status == 503
                        ? " is unreachable" : " refused the connection or is down") + ": " + failure.getMessage();
                LOG.debug("{}", message);
                Buffer body = Buffer.buffer(errorJson(message, route).encode());
                return Future.succeededFuture(context.request().release().response()
                        .setStatusCode(status)
                        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                        .setBody(Body.body(body, io.vertx.httpproxy.MediaType.APPLICATION_JSON)));
            });
        }

        private String timeoutOf(Throwable failure) {
            return failure.getClass().getSimpleName().contains("Connect") ? settings.connectTimeout().toMillis()
                    + " ms (connect)" : settings.idleTimeout().toMillis() + " ms";
        }

        private int statusOf(Throwable failure) {
            for (Throwable t = failure; t != null; t = t.getCause()) {
                if (t instanceof java.util.concurrent.TimeoutException
                        || t.getClass().getSimpleName().contains("Timeout")) {
                    return 504;
                }
            }
            return route.target().childStack() ? 503 : 502;
        }

        private void forwardedHeaders(HttpServerRequest incoming, io.vertx.core.MultiMap headers) {
            boolean trust = settings.trustForwarded();
            String client = incoming.remoteAddress() == null ? "unknown" : incoming.remoteAddress().hostAddress();
            String previousFor = trust ? headers.get("X-Forwarded-For") : null;
            headers.set("X-Forwarded-For", previousFor == null ? client : previousFor + ", " + client);
            if (!trust || !headers.contains("X-Forwarded-Proto")) {
                headers.set("X-Forwarded-Proto", incoming.isSSL() ? "https" : "http");
            }
            if (!trust || !headers.contains("X-Forwarded-Host")) {
                var authority = incoming.authority();
                if (authority != null) {
                    headers.set("X-Forwarded-Host", authority.toString());
                } else {
                    headers.remove("X-Forwarded-Host");
                }
            }
            String previousPrefix = trust ? headers.get("X-Forwarded-Prefix") : null;
            String prefix = (previousPrefix == null ? "" : previousPrefix) + route.strippedPrefix();
            if (prefix.isEmpty()) {
                headers.remove("X-Forwarded-Prefix");
            } else {
                headers.set("X-Forwarded-Prefix", prefix);
            }
        }
    }

    private static JsonObject errorJson(String message, Route route) {
        JsonObject json = new JsonObject().put("error", message);
        if (route != null) {
            json.put("route", route.name()).put("path", route.path());
        }
        return json;
    }

    private static void error(HttpServerRequest request, int status, String message, Route route) {
        if (request.response().ended() || request.response().headWritten()) {
            return;
        }
        request.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .end(errorJson(message, route).encode());
    }

    @Override
    public void close() {
        proxies.clear();
        client.close();
        names.close();
    }
}
