package org.ailtire.gateway;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.httpproxy.Body;
import io.vertx.httpproxy.HttpProxy;
import io.vertx.httpproxy.ProxyContext;
import io.vertx.httpproxy.ProxyInterceptor;
import io.vertx.httpproxy.ProxyOptions;
import io.vertx.httpproxy.ProxyResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The stack's only door: a reverse proxy for application traffic, served on the gateway port by {@link GatewayServer}
 * (the control plane has a port of its own).
 * A request goes to the route with the longest matching prefix, to a target named by key only (so nothing outside
 * the stack is reachable); responses stream through, WebSocket upgrades pass on {@code ws} routes. Failures are
 * JSON naming the route: 404 no route, 502 target refused or down, 503 child stack unreachable or not registered,
 * 504 target too slow.
 */
public final class Gateway implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);
    private static final int MAX_PROXIES = 1024;
    /** How long a target's resolved addresses are used before they are asked again. */
    static final Duration ADDRESSES_KEPT = Duration.ofSeconds(1);

    private final RouteTable routes;
    private final TargetResolver resolver;
    private final GatewaySettings settings;
    private final Vertx vertx;
    // Kept in a field: an unreferenced client is closed when collected.
    private final HttpClient client;
    private final TargetAddresses addresses;
    /**
     * One forwarder, with its own client and pool, per event-loop thread: a pooled connection then stays on the loop
     * that opened it, where one shared pool would hand a connection of one loop to a request of another, and every
     * read and write would hop between the two threads.
     */
    private final Map<Thread, HttpForwarder> forwarders = new ConcurrentHashMap<>();
    private final List<HttpClient> forwarderClients = new CopyOnWriteArrayList<>();
    // WebSocket upgrades go through vertx-http-proxy, one proxy per route and address.
    private final Map<ProxyKey, HttpProxy> proxies = new ConcurrentHashMap<>();

    private record ProxyKey(Route route, TargetResolver.Address address) {
    }

    public Gateway(Vertx vertx, RouteTable routes, TargetResolver resolver, GatewaySettings settings) {
        this.routes = routes;
        this.resolver = resolver;
        this.settings = settings;
        this.vertx = vertx;
        this.client = newClient();
        this.addresses = new TargetAddresses(vertx, ADDRESSES_KEPT);
    }

    private HttpClient newClient() {
        return vertx.createHttpClient(new HttpClientOptions()
                        .setKeepAlive(true)
                        .setKeepAliveTimeout(60)
                        .setConnectTimeout((int) settings.connectTimeout().toMillis()),
                new PoolOptions().setHttp1MaxSize(settings.poolSize()));
    }

    private HttpForwarder forwarder() {
        return forwarders.computeIfAbsent(Thread.currentThread(), thread -> {
            HttpClient own = newClient();
            forwarderClients.add(own);
            return new HttpForwarder(own, settings, addresses::of);
        });
    }

    /** Proxies one request to the route with the longest matching prefix, or answers with a JSON error. */
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
        if (route.protocol() == Route.Protocol.WS && request.canUpgradeToWebSocket()) {
            proxy(route, address).handle(request);
        } else {
            forwarder().forward(request, route, address);
        }
    }

    /** No {@code .} or {@code ..} segment, no empty segment, no encoded dot or slash: what a route matches is what the target gets. */
    public static boolean isNormal(String path) {
        if (!path.startsWith("/") || path.contains("//") || path.contains("%2e") || path.contains("%2E")
                || path.contains("%2f") || path.contains("%2F")) {
            return false;
        }
        for (int start = 1; start <= path.length(); ) {
            int end = path.indexOf('/', start);
            if (end < 0) {
                end = path.length();
            }
            int length = end - start;
            if (length == 1 && path.charAt(start) == '.' || length == 2 && path.startsWith("..", start)) {
                return false;
            }
            start = end + 1;
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
        proxy.origin(context -> addresses.of(address).compose(server -> context.client().request(
                new RequestOptions()
                        .setServer(server)
                        .setConnectTimeout(settings.connectTimeout().toMillis())
                        .setIdleTimeout(settings.idleTimeout().toMillis()))));
        proxy.addInterceptor(new RouteInterceptor(route), webSocket);
        return proxy;
    }

    /** For WebSocket upgrades: rewrites the path, sets the X-Forwarded-* headers and turns origin failures into JSON errors. */
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
            ForwardedHeaders.set(incoming, route, settings.trustForwarded(), proxied.headers());
            return context.sendRequest().recover(failure -> {
                TargetFailure error = TargetFailure.of(route, failure, settings);
                LOG.debug("{}", error.message());
                Buffer body = Buffer.buffer(error.json(route).encode());
                return Future.succeededFuture(context.request().release().response()
                        .setStatusCode(error.status())
                        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                        .setBody(Body.body(body, io.vertx.httpproxy.MediaType.APPLICATION_JSON)));
            });
        }
    }

    private static void error(HttpServerRequest request, int status, String message, Route route) {
        if (request.response().ended() || request.response().headWritten()) {
            return;
        }
        request.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .end(TargetFailure.errorJson(message, route).encode());
    }

    @Override
    public void close() {
        proxies.clear();
        forwarders.clear();
        forwarderClients.forEach(HttpClient::close);
        client.close();
        addresses.close();
    }
}
