package org.ailtire.dataplane;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.ailtire.gateway.Route;
import org.ailtire.stack.Json;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Renders the gateway's HAProxy configuration from the routes and where they go now: a pure function, so what the
 * data plane does is read from its output.
 *
 * <p>Routing: a request's path is looked up as a route's path exactly (map {@value #EXACT_MAP}), else by the longest
 * route prefix followed by a slash (map {@value #PREFIX_MAP}, HAProxy's {@code map_beg} answers the longest match),
 * so {@code /shop} routes {@code /shop} and {@code /shop/a} but not {@code /shopping}. The map's value names the
 * route, and each route has a backend {@code r_<route>} that rewrites the path, sets X-Forwarded-Prefix and holds
 * the target's servers. Every answer HAProxy makes itself is JSON, naming the route where there is one.
 *
 * <p>Host routes: when some route names a host, the request's host (Host header, port stripped, lower case) and
 * path are looked up first, keyed {@code <host><path>} in maps {@value #HOST_EXACT_MAP} and {@value #HOST_PREFIX_MAP}
 * the same way, then keyed {@code *.<host without its first label><path>} (wildcard hosts), then the path alone
 * among the host-less routes: a route for the request's host wins over a wildcard one, which wins over a host-less
 * one, whatever their paths' lengths. Every step is a map lookup.
 *
 * <p>TLS (the top gateway only): the gateway port is bound with the certificate and offers HTTP/2 and HTTP/1.1 by
 * ALPN; a second, plain port may answer every request with a redirect to https. With HSTS, every answer on the TLS port
 * (the targets' and HAProxy's own) carries Strict-Transport-Security; the plain port's redirects never do.
 */
public final class HaproxyConfig {
    public static final String EXACT_MAP = "routes-exact.map";
    public static final String PREFIX_MAP = "routes-prefix.map";
    public static final String HOST_EXACT_MAP = "routes-host-exact.map";
    public static final String HOST_PREFIX_MAP = "routes-host-prefix.map";
    /** Old workers (after a reload) that still carry connections, e.g. WebSockets, are stopped after this. */
    static final Duration HARD_STOP_AFTER = Duration.ofMinutes(5);
    /** The frontend of HAProxy's Prometheus exporter, on loopback only; its own series are left out of /metrics. */
    public static final String EXPORTER_FRONTEND = "promex";

    /** The Lua actions removing the headers a Connection header names (a resource, written next to the maps). */
    static final String CONNECTION_NAMED_LUA = "connection-named.lua";
    private static final String CONNECTION_NAMED = resource(CONNECTION_NAMED_LUA);

    private HaproxyConfig() {
    }

    private static String resource(String name) {
        try (var in = HaproxyConfig.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from the classpath next to " + HaproxyConfig.class);
            }
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The backend's name for a route. */
    public static String backendName(Route route) {
        return "r_" + route.name();
    }

    public static RenderedConfig render(DataPlaneSettings settings, List<RouteBackend> routes) {
        List<RouteBackend> byLength = new ArrayList<>(routes);
        byLength.sort(Comparator.comparingInt((RouteBackend r) -> r.route().path().length()).reversed()
                .thenComparing(r -> r.route().name()));
        List<RouteBackend> anyHost = byLength.stream().filter(r -> r.route().host().isEmpty()).toList();
        List<RouteBackend> forHosts = byLength.stream().filter(r -> !r.route().host().isEmpty()).toList();
        Map<String, String> files = new LinkedHashMap<>();
        files.put(CONNECTION_NAMED_LUA, CONNECTION_NAMED);
        files.put(EXACT_MAP, exactMap(anyHost));
        files.put(PREFIX_MAP, prefixMap(anyHost));
        if (!forHosts.isEmpty()) {
            files.put(HOST_EXACT_MAP, exactMap(forHosts));
            files.put(HOST_PREFIX_MAP, prefixMap(forHosts));
        }
        String config = config(settings, byLength, true, files);
        String structure = config(settings, byLength, false, new LinkedHashMap<>());
        return new RenderedConfig(config, files, structure);
    }

    private static String exactMap(List<RouteBackend> routes) {
        StringBuilder map = new StringBuilder("# [route host] route path -> route name\n");
        for (RouteBackend r : routes) {
            map.append(r.route().host()).append(r.route().path()).append(' ').append(r.route().name()).append('\n');
        }
        return map.toString();
    }

    private static String prefixMap(List<RouteBackend> routes) {
        StringBuilder map = new StringBuilder("# [route host] route path and a slash (the root route: /) -> route name\n");
        for (RouteBackend r : routes) {
            String path = r.route().path();
            map.append(r.route().host()).append(path.equals("/") ? "/" : path + "/").append(' ')
                    .append(r.route().name()).append('\n');
        }
        return map.toString();
    }

    private static String config(DataPlaneSettings settings, List<RouteBackend> routes, boolean withServers,
                                 Map<String, String> files) {
        Lines out = new Lines();
        global(out, settings);
        defaults(out, settings);
        if (needsResolvers(routes)) {
            out.section("resolvers dns");
            // The engine's DNS (127.0.0.11 in a container) from resolv.conf; asked again often so that a replaced
            // task or a restarted child controller is followed within about a second. A task that left the name is
            // dropped at once (hold obsolete 0s): it is being stopped and has its stop grace period left at most.
            out.line("parse-resolv-conf");
            out.line("resolve_retries 3");
            out.line("timeout resolve 500ms");
            out.line("timeout retry 1s");
            out.line("hold valid 1s");
            out.line("hold other 1s");
            out.line("hold refused 1s");
            out.line("hold nx 1s");
            out.line("hold timeout 1s");
            out.line("hold obsolete 0s");
        }
        frontend(out, settings, routes.stream().anyMatch(r -> !r.route().host().isEmpty()));
        settings.tls().filter(GatewayTls::redirects).ifPresent(tls -> redirectFrontend(out, settings, tls));
        if (settings.metricsPort() != 0) {
            exporterFrontend(out, settings);
        }
        for (RouteBackend route : routes) {
            backend(out, route, settings, withServers, files);
        }
        for (RouteBackend route : routes) {
            RouteFirewalls.userlist(out, route.route());
        }
        return out.toString();
    }

    private static void global(Lines out, DataPlaneSettings settings) {
        out.section("global");
        out.line("nbthread " + settings.threads());
        out.line("maxconn " + settings.maxConnections());
        out.line("stats socket " + settings.runtimeSocket() + " mode 600 level admin expose-fd listeners");
        out.line("hard-stop-after " + duration(HARD_STOP_AFTER));
        // Written before each reload: the new worker starts with the servers' addresses the old one had found in DNS.
        out.line("server-state-file " + settings.serverStateFile());
        out.line("lua-load-per-thread " + settings.runDirectory().resolve(CONNECTION_NAMED_LUA));
        if (settings.tls().isPresent()) {
            out.line("ssl-default-bind-options ssl-min-ver TLSv1.2 no-tls-tickets");
        }
        // Dynamic servers (runtime API) start from the backend's defaults; no request is logged.
    }

    private static void defaults(Lines out, DataPlaneSettings settings) {
        out.section("defaults");
        out.line("mode http");
        out.line("load-server-state-from-file global");
        out.line("timeout connect " + duration(settings.connectTimeout()));
        out.line("timeout client " + duration(settings.idleTimeout()));
        out.line("timeout server " + duration(settings.idleTimeout()));
        out.line("timeout http-request " + duration(settings.headerTimeout()));
        out.line("timeout http-keep-alive " + duration(settings.idleTimeout()));
        out.line("timeout queue " + duration(settings.connectTimeout()));
        out.line("timeout client-fin " + duration(settings.connectTimeout()));
        out.line("timeout server-fin " + duration(settings.connectTimeout()));
        // A replaced task's connection refused: the request is tried again, on another task when there is one.
        out.line("retries 2");
        out.line("option redispatch 1");
        out.line("retry-on conn-failure");
        errors(out, List.of(
                new Error(400, "bad request"),
                new Error(403, "forbidden"),
                new Error(408, "the request's headers took longer than " + inWords(settings.headerTimeout())),
                new Error(500, "internal error in the gateway"),
                new Error(502, "the target sent an invalid answer or broke off"),
                new Error(503, "no target can take the request now"),
                new Error(504, "the target did not answer within " + inWords(settings.idleTimeout()))), null);
    }

    private static void frontend(Lines out, DataPlaneSettings settings, boolean hostRoutes) {
        out.section("frontend gateway");
        out.line("bind " + bindAddress(settings.bindAddress()) + ":" + settings.port() + settings.tls()
                .map(tls -> " ssl crt " + tls.pemFile() + " alpn h2,http/1.1").orElse(""));
        String scheme = settings.tls().isPresent() ? "https" : "http";
        settings.tls().flatMap(GatewayTls::hsts).ifPresent(hsts -> {
            // After-response rules also reach the answers HAProxy makes itself (404, 429, errors): every HTTPS one.
            out.comment("HSTS: browsers use only https for this host from then on");
            out.line("http-after-response set-header Strict-Transport-Security " + quote(hsts.headerValue()));
        });
        clientAddress(out, settings);
        if (settings.trustForwarded()) {
            out.comment("behind a parent gateway: what it set is kept and extended");
            out.line("http-request set-header X-Forwarded-For \"%[req.fhdr(x-forwarded-for)], %[src]\""
                    + " if { req.fhdr(x-forwarded-for) -m found }");
            out.line("http-request set-header X-Forwarded-For %[src] unless { req.fhdr(x-forwarded-for) -m found }");
            out.line("http-request set-header X-Forwarded-Proto http unless { req.fhdr(x-forwarded-proto) -m found }");
            out.line("http-request set-header X-Forwarded-Host %[req.hdr(host)]"
                    + " if { req.hdr(host) -m found } !{ req.fhdr(x-forwarded-host) -m found }");
        } else {
            out.comment("at the top: what clients send is replaced");
            out.line("http-request set-header X-Forwarded-For %[src]");
            out.line("http-request set-header X-Forwarded-Proto " + scheme);
            out.line("http-request del-header X-Forwarded-Host");
            out.line("http-request set-header X-Forwarded-Host %[req.hdr(host)] if { req.hdr(host) -m found }");
            out.line("http-request del-header X-Forwarded-Prefix");
            out.comment("other proxies' headers naming the client, which clients could forge");
            out.line("http-request del-header Forwarded");
            out.line("http-request del-header X-Real-IP");
        }
        out.comment("hop-by-hop headers stay on their hop, those the Connection header names too (RFC 9110 7.6.1)");
        out.line("http-request lua.strip_connection_named_req if { req.hdr_cnt(connection) gt 0 }");
        out.line("http-response lua.strip_connection_named_res if { res.hdr_cnt(connection) gt 0 }");
        out.line("http-request del-header Proxy-Authorization");
        out.line("http-request del-header Proxy-Connection");
        out.line("http-request del-header TE");
        out.line("http-request del-header Keep-Alive");
        out.comment("what a route matches is what its target gets: no dot segments, doubled slashes, encoded dots or slashes");
        // Substring, suffix and prefix matches rather than regular expressions: they run on every request.
        out.line("acl not_normal path -m sub -i // /./ /../ %2e %2f");
        out.line("acl not_normal path -m end /. /..");
        out.line("acl rooted path -m beg /");
        out.line("http-request return status 400 content-type application/json lf-string "
                + quote("{\"error\":\"path %[path,json(utf8s)] is not in normal form (no dot segments, doubled"
                + " slashes or encoded dots)\"}") + " if not_normal || !rooted");
        if (hostRoutes) {
            hostLookups(out, settings);
        }
        out.line("http-request set-var(txn.route) path,map_str(" + settings.runDirectory().resolve(EXACT_MAP) + ")"
                + (hostRoutes ? " unless { var(txn.route) -m found }" : ""));
        out.line("http-request set-var(txn.route) path,map_beg(" + settings.runDirectory().resolve(PREFIX_MAP) + ")"
                + " unless { var(txn.route) -m found }");
        out.line("http-request return status 404 content-type application/json lf-string "
                + quote("{\"error\":\"no route for %[path,json(utf8s)]\"}") + " unless { var(txn.route) -m found }");
        out.line("use_backend r_%[var(txn.route)]");
    }

    /** Host and path, then wildcard host and path, each looked up exactly and by prefix (see the class comment). */
    private static void hostLookups(Lines out, DataPlaneSettings settings) {
        out.comment("host routes first: <host><path>, then *.<parent domain><path>");
        out.line("http-request set-var(txn.host) req.hdr(host),field(1,:),lower");
        out.line("http-request set-var-fmt(txn.host_path) %[var(txn.host)]%[path]");
        out.line("http-request set-var-fmt(txn.wildcard_path) *.%[var(txn.host),field(2,.,0)]%[path]");
        String exact = settings.runDirectory().resolve(HOST_EXACT_MAP).toString();
        String prefix = settings.runDirectory().resolve(HOST_PREFIX_MAP).toString();
        out.line("http-request set-var(txn.route) var(txn.host_path),map_str(" + exact + ")");
        for (String lookup : List.of("var(txn.host_path),map_beg(" + prefix + ")",
                "var(txn.wildcard_path),map_str(" + exact + ")", "var(txn.wildcard_path),map_beg(" + prefix + ")")) {
            out.line("http-request set-var(txn.route) " + lookup + " unless { var(txn.route) -m found }");
        }
    }

    /** HAProxy's Prometheus exporter (built with USE_PROMEX), for the controller's /metrics: loopback only. */
    private static void exporterFrontend(Lines out, DataPlaneSettings settings) {
        out.section("frontend " + EXPORTER_FRONTEND);
        out.line("bind 127.0.0.1:" + settings.metricsPort());
        out.line("http-request use-service prometheus-exporter if { path /metrics }");
        out.line("http-request return status 404");
    }

    /** A plain HTTP port that sends every request to the same host and URI over https (GET and HEAD: 301, else 308). */
    private static void redirectFrontend(Lines out, DataPlaneSettings settings, GatewayTls tls) {
        out.section("frontend https_redirect");
        out.line("bind " + bindAddress(settings.bindAddress()) + ":" + tls.redirectPort());
        out.line("http-request return status 400 content-type application/json string "
                + quote("{\"error\":\"this port redirects to https and needs the request's Host header\"}")
                + " unless { req.hdr(host) -m found }");
        String location = "https://%[req.hdr(host),field(1,:)]" + (tls.publicPort() == 443 ? "" : ":" + tls.publicPort())
                + "%[capture.req.uri]";
        out.line("http-request redirect location " + location + " code 301 if METH_GET");
        out.line("http-request redirect location " + location + " code 308");
    }

    /**
     * The client's address, which rate limits and allow-lists count and check ({@code txn.client}): the connection's
     * at the top, where each client address may also hold only so many connections at once; behind a parent, the
     * first X-Forwarded-For address, which the top gateway set to the address it saw (every connection comes from the
     * parent's gateway there).
     */
    private static void clientAddress(Lines out, DataPlaneSettings settings) {
        if (settings.trustForwarded()) {
            out.comment("the client is the address the top gateway saw");
            out.line("http-request set-var(txn.client) req.hdr_ip(x-forwarded-for,1)");
            out.line("http-request set-var(txn.client) src unless { var(txn.client) -m found }");
            return;
        }
        out.comment("at most " + settings.connectionsPerClient() + " connections at once from one client address;"
                + " more are closed at once");
        out.line("stick-table type ipv6 size 100k expire " + duration(settings.idleTimeout()) + " store conn_cur");
        out.line("tcp-request connection track-sc0 src");
        out.line("tcp-request connection reject if { sc0_conn_cur gt " + settings.connectionsPerClient() + " }");
        out.line("http-request set-var(txn.client) src");
    }

    private static void backend(Lines out, RouteBackend routeBackend, DataPlaneSettings settings, boolean withServers,
                                Map<String, String> files) {
        Route route = routeBackend.route();
        out.section("backend " + backendName(route));
        out.comment("route " + route.name() + ": " + (route.host().isEmpty() ? "" : route.host()) + route.path()
                + " -> " + route.target()
                + (route.rewrite().equals(route.path()) ? "" : " at " + route.rewrite()) + ", " + route.protocol());
        out.line("balance roundrobin");
        String what = "route " + route.name() + " (" + route.path() + "): " + route.target();
        RouteFirewalls.checks(out, route);
        if (routeBackend.target() instanceof RouteBackend.Unavailable unavailable) {
            out.line("http-request return status " + unavailable.status() + " content-type application/json string "
                    + quote(errorJson("route " + route.name() + " (" + route.path() + "): " + unavailable.message(), route)));
        }
        if (route.protocol() == Route.Protocol.HTTP) {
            out.line("http-request return status 400 content-type application/json string "
                    + quote(errorJson("route " + route.name() + " (" + route.path() + ") does not pass WebSocket"
                    + " upgrades (protocol http; declare protocol: ws)", route)) + " if { req.hdr(upgrade) -i websocket }");
        } else {
            out.line("timeout tunnel " + duration(settings.tunnelTimeout()));
        }
        rewrite(out, route);
        forwardedPrefix(out, route, settings.trustForwarded());
        Duration timeout = route.firewall().timeout().orElse(settings.idleTimeout());
        RouteFirewalls.targetSettings(out, route);
        errors(out, List.of(
                new Error(502, what + " sent an invalid answer or broke off"),
                new Error(504, what + " did not answer within " + inWords(timeout))), route);
        if (route.target().childStack()) {
            errors(out, List.of(new Error(503, what + " is unreachable")), route);
        } else {
            // HAProxy says 503 when no server took the connection; for a service the gateway has always said 502.
            String file = "error-" + backendName(route) + "-503.http";
            files.put(file, errorFile(502, "Bad Gateway", errorJson(what + " refused the connection or is down", route)));
            out.line("errorfile 503 " + settings.runDirectory().resolve(file));
        }
        switch (routeBackend.target()) {
            case RouteBackend.Servers servers -> {
                for (RouteBackend.Server server : servers.servers()) {
                    if (withServers || !server.hasAddress()) {
                        out.line("server " + server.name() + " " + server.address() + serverOptions(server));
                    }
                }
            }
            case RouteBackend.Dns dns -> out.line("server-template t 1-" + dns.slots() + " " + dns.name() + ":"
                    + dns.port() + " resolvers dns resolve-prefer ipv4 init-addr last,none");
            case RouteBackend.Unavailable ignored -> {
            }
        }
    }

    /** The prefix replaced by the rewrite, as {@link Route#rewrite(String)} does it. */
    private static void rewrite(Lines out, Route route) {
        if (route.rewrite().equals(route.path())) {
            return;
        }
        String prefix = route.path().equals("/") ? "" : literalRegex(route.path());
        String rewrite = route.rewrite();
        String separator = rewrite.endsWith("/") ? "" : "/";
        out.line("http-request replace-path " + quote("^" + prefix + "/?$") + " " + quote(logFormat(rewrite)));
        out.line("http-request replace-path " + quote("^" + prefix + "/(.+)$") + " "
                + quote(logFormat(rewrite + separator) + "\\1"));
    }

    private static void forwardedPrefix(Lines out, Route route, boolean trust) {
        String stripped = route.strippedPrefix();
        if (stripped.isEmpty()) {
            return; // at the top the frontend removed what the client sent
        }
        String prefix = quote(logFormat(stripped));
        if (trust) {
            out.line("http-request set-header X-Forwarded-Prefix %[req.fhdr(x-forwarded-prefix)]" + prefix
                    + " if { req.fhdr(x-forwarded-prefix) -m found }");
            out.line("http-request set-header X-Forwarded-Prefix " + prefix
                    + " unless { req.fhdr(x-forwarded-prefix) -m found }");
        } else {
            out.line("http-request set-header X-Forwarded-Prefix " + prefix);
        }
    }

    record Error(int status, String message) {
    }

    static void errors(Lines out, List<Error> errors, Route route) {
        for (Error error : errors) {
            out.line("http-error status " + error.status() + " content-type application/json string "
                    + quote(errorJson(error.message(), route)));
        }
    }

    /** A whole HTTP response, as HAProxy's errorfiles hold them. */
    private static String errorFile(int status, String reason, String json) {
        byte[] body = json.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return "HTTP/1.1 " + status + " " + reason + "\r\ncontent-type: application/json\r\ncontent-length: "
                + body.length + "\r\ncache-control: no-cache\r\nconnection: close\r\n\r\n" + json;
    }

    /** The gateway's error body: {@code {"error": ..., "route": ..., "path": ...}} (route and path when known). */
    static String errorJson(String message, Route route) {
        ObjectNode json = Json.MAPPER.createObjectNode().put("error", message);
        if (route != null) {
            json.put("route", route.name()).put("path", route.path());
        }
        return json.toString();
    }

    private static boolean needsResolvers(List<RouteBackend> routes) {
        for (RouteBackend route : routes) {
            if (route.target() instanceof RouteBackend.Dns) {
                return true;
            }
            if (route.target() instanceof RouteBackend.Servers servers
                    && servers.servers().stream().anyMatch(s -> !s.hasAddress())) {
                return true;
            }
        }
        return false;
    }

    private static String serverOptions(RouteBackend.Server server) {
        String options = server.draining() ? " weight 0" : "";
        // A name (a child stack's controller) is resolved at start, and again through DNS when its address changes.
        return server.hasAddress() ? options : options + " resolvers dns resolve-prefer ipv4 init-addr last,libc,none";
    }

    private static String bindAddress(String address) {
        return address.contains(":") ? "[" + address + "]" : address;
    }

    /** A duration in an error message, as the gateway has always said it. */
    static String inWords(Duration duration) {
        return duration.toMillis() + " ms";
    }

    /** HAProxy's durations in milliseconds. */
    static String duration(Duration duration) {
        return duration.toMillis() + "ms";
    }

    /** A regular expression matching {@code text} literally: every character but letters, digits and / as \xHH. */
    static String literalRegex(String text) {
        StringBuilder regex = new StringBuilder();
        for (char c : text.toCharArray()) {
            if (c < 128 && (Character.isLetterOrDigit(c) || c == '/')) {
                regex.append(c);
            } else {
                regex.append(String.format("\\x%02x", (int) c));
            }
        }
        return regex.toString();
    }

    /** Text in a log-format argument: % is HAProxy's escape there. */
    static String logFormat(String text) {
        return text.replace("%", "%%");
    }

    /**
     * One configuration word in single quotes, where HAProxy expands nothing; a single quote inside ends the quoted
     * part, is given in double quotes, and the quoting goes on.
     */
    static String quote(String word) {
        return "'" + word.replace("'", "'\"'\"'") + "'";
    }

    static final class Lines {
        private final StringBuilder text = new StringBuilder("# Rendered by the ailtire controller from its route table; changes here are lost.\n");

        void section(String header) {
            text.append('\n').append(header).append('\n');
        }

        void line(String line) {
            text.append("    ").append(line).append('\n');
        }

        void comment(String comment) {
            text.append("    # ").append(comment).append('\n');
        }

        @Override
        public String toString() {
            return text.toString();
        }
    }
}
