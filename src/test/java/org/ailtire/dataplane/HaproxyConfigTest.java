package org.ailtire.dataplane;

import org.ailtire.definition.RouteFirewall;
import org.ailtire.gateway.Route;
import org.ailtire.gateway.RouteTarget;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;

/** The rendered configuration, read line by line: what each route, target and setting becomes. */
class HaproxyConfigTest {
    private static final Path RUN = Path.of("/run/ailtire/haproxy");
    private static final DataPlaneSettings TOP = DataPlaneSettings.defaults("0.0.0.0", 8080, false, RUN);
    private static final DataPlaneSettings CHILD = DataPlaneSettings.defaults("0.0.0.0", 8080, true, RUN);

    private static Route route(String name, String path, RouteTarget target, String rewrite, Route.Protocol protocol) {
        return new Route(name, path, target, rewrite, protocol, Route.Origin.DEFINITION);
    }

    private static RouteBackend servers(Route route, RouteBackend.Server... servers) {
        return new RouteBackend(route, new RouteBackend.Servers(List.of(servers)));
    }

    private static final Route SHOP = route("web", "/shop", RouteTarget.service("web", 8000), "/", Route.Protocol.HTTP);
    private static final Route LIVE = route("web-2", "/live", RouteTarget.service("web", 9000), "/live", Route.Protocol.WS);
    private static final Route ROOT = route("site", "/", RouteTarget.service("site", 80), "/", Route.Protocol.HTTP);
    private static final Route BACKEND = route("backend", "/backend", RouteTarget.childStack("backend"), "/", Route.Protocol.WS);

    @Test
    void mapsHoldEveryRouteLongestFirstThenByNameExactlyAndAsAPrefixOfSegments() {
        RenderedConfig rendered = HaproxyConfig.render(TOP, List.of(servers(ROOT), servers(SHOP), servers(LIVE)));

        assertThat(rendered.files().get(HaproxyConfig.EXACT_MAP).lines().skip(1))
                .containsExactly("/shop web", "/live web-2", "/ site");
        assertThat(rendered.files().get(HaproxyConfig.PREFIX_MAP).lines().skip(1))
                .containsExactly("/shop/ web", "/live/ web-2", "/ site");
        assertThat(rendered.config()).contains(
                "http-request set-var(txn.route) path,map_str(/run/ailtire/haproxy/routes-exact.map)\n",
                "http-request set-var(txn.route) path,map_beg(/run/ailtire/haproxy/routes-prefix.map) unless { var(txn.route) -m found }\n",
                "use_backend r_%[var(txn.route)]\n");
    }

    @Test
    void aRewriteReplacesThePrefixAndAKeptPathIsLeftAlone() {
        String config = HaproxyConfig.render(TOP, List.of(servers(SHOP), servers(LIVE),
                servers(route("api", "/api-v1", RouteTarget.service("api", 80), "/v1", Route.Protocol.HTTP)),
                servers(route("all", "/", RouteTarget.service("api", 80), "/app/", Route.Protocol.HTTP)))).config();

        assertThat(backend(config, "r_web")).contains(
                "http-request replace-path '^/shop/?$' '/'",
                "http-request replace-path '^/shop/(.+)$' '/\\1'");
        assertThat(backend(config, "r_api")).contains(
                "http-request replace-path '^/api\\x2dv1/?$' '/v1'",
                "http-request replace-path '^/api\\x2dv1/(.+)$' '/v1/\\1'");
        assertThat(backend(config, "r_all")).contains(
                "http-request replace-path '^/?$' '/app/'",
                "http-request replace-path '^/(.+)$' '/app/\\1'");
        assertThat(backend(config, "r_web-2")).doesNotContain("replace-path");
    }

    @Test
    void pathsWithQuotesAndPercentSignsAreQuotedForHaproxy() {
        Route odd = route("odd", "/it's", RouteTarget.service("web", 80), "/100%", Route.Protocol.HTTP);
        String config = HaproxyConfig.render(TOP, List.of(servers(odd))).config();

        assertThat(backend(config, "r_odd")).contains(
                "http-request replace-path '^/it\\x27s/?$' '/100%%'",
                "http-request set-header X-Forwarded-Prefix '/it'\"'\"'s'");
    }

    @Test
    void atTheTopForwardedHeadersAreReplacedAndBehindAParentExtended() {
        String top = HaproxyConfig.render(TOP, List.of(servers(SHOP))).config();
        String child = HaproxyConfig.render(CHILD, List.of(servers(SHOP))).config();

        assertThat(section(top, "frontend gateway")).contains(
                "http-request set-header X-Forwarded-For %[src]",
                "http-request set-header X-Forwarded-Proto http",
                "http-request del-header X-Forwarded-Host",
                "http-request del-header X-Forwarded-Prefix");
        assertThat(backend(top, "r_web")).contains("http-request set-header X-Forwarded-Prefix '/shop'");
        assertThat(section(child, "frontend gateway")).contains(
                "http-request set-header X-Forwarded-For \"%[req.fhdr(x-forwarded-for)], %[src]\" if { req.fhdr(x-forwarded-for) -m found }",
                "http-request set-header X-Forwarded-Proto http unless { req.fhdr(x-forwarded-proto) -m found }")
                .doesNotContain("del-header");
        assertThat(backend(child, "r_web")).contains(
                "http-request set-header X-Forwarded-Prefix %[req.fhdr(x-forwarded-prefix)]'/shop' if { req.fhdr(x-forwarded-prefix) -m found }");
    }

    @Test
    void webSocketRoutesGetTheTunnelTimeoutAndHttpRoutesRefuseUpgrades() {
        String config = HaproxyConfig.render(TOP, List.of(servers(SHOP), servers(LIVE))).config();

        assertThat(backend(config, "r_web-2")).contains("timeout tunnel 3600000ms").doesNotContain("upgrade");
        assertThat(backend(config, "r_web")).contains("http-request return status 400 content-type application/json"
                + " string '{\"error\":\"route web (/shop) does not pass WebSocket upgrades (protocol http; declare"
                + " protocol: ws)\",\"route\":\"web\",\"path\":\"/shop\"}' if { req.hdr(upgrade) -i websocket }");
    }

    @Test
    void errorsAreJsonNamingTheRoute() {
        String config = HaproxyConfig.render(TOP, List.of(servers(SHOP))).config();

        RenderedConfig rendered = HaproxyConfig.render(TOP, List.of(servers(SHOP)));
        assertThat(rendered.files().get("error-r_web-503.http")).isEqualTo("HTTP/1.1 502 Bad Gateway\r\n"
                + "content-type: application/json\r\ncontent-length: 110\r\ncache-control: no-cache\r\n"
                + "connection: close\r\n\r\n{\"error\":\"route web (/shop): service web:8000 refused the connection or is"
                + " down\",\"route\":\"web\",\"path\":\"/shop\"}");
        assertThat(backend(config, "r_web")).contains(
                "errorfile 503 /run/ailtire/haproxy/error-r_web-503.http",
                "http-error status 504 content-type application/json string '{\"error\":\"route web (/shop): service"
                        + " web:8000 did not answer within 60000 ms\",\"route\":\"web\",\"path\":\"/shop\"}'");
        assertThat(section(config, "frontend gateway")).contains(
                "http-request return status 404 content-type application/json lf-string"
                        + " '{\"error\":\"no route for %[path,json(utf8s)]\"}' unless { var(txn.route) -m found }");
    }

    @Test
    void serversAreAddressesNamesOrDnsSlotsAndAnUnavailableTargetAnswersItself() {
        String config = HaproxyConfig.render(CHILD, List.of(
                servers(SHOP, new RouteBackend.Server("task1", "10.0.1.5", 8000), new RouteBackend.Server("task2", "10.0.1.6", 8000)),
                new RouteBackend(LIVE, new RouteBackend.Dns("tasks.web", 9000, 8)),
                servers(BACKEND, new RouteBackend.Server("controller", "ailtire-backend", 8080)),
                new RouteBackend(route("db", "/db", RouteTarget.childStack("db"), "/", Route.Protocol.HTTP),
                        new RouteBackend.Unavailable(503, "child stack db is not registered (yet)")))).config();

        assertThat(backend(config, "r_web")).contains("server task1 10.0.1.5:8000", "server task2 10.0.1.6:8000");
        assertThat(backend(config, "r_web-2")).contains(
                "server-template t 1-8 tasks.web:9000 resolvers dns resolve-prefer ipv4 init-addr last,none");
        assertThat(backend(config, "r_backend")).contains(
                "server controller ailtire-backend:8080 resolvers dns resolve-prefer ipv4 init-addr last,libc,none");
        assertThat(backend(config, "r_db")).contains("http-request return status 503 content-type application/json"
                + " string '{\"error\":\"route db (/db): child stack db is not registered (yet)\",\"route\":\"db\",\"path\":\"/db\"}'");
        assertThat(section(config, "resolvers dns")).contains("parse-resolv-conf", "hold valid 1s");
    }

    @Test
    void withOnlyAddressesThereIsNoResolverAndTheStructureLeavesServersOut() {
        RenderedConfig one = HaproxyConfig.render(TOP, List.of(servers(SHOP, new RouteBackend.Server("a", "10.0.1.5", 8000))));
        RenderedConfig other = HaproxyConfig.render(TOP, List.of(servers(SHOP, new RouteBackend.Server("b", "10.0.1.7", 8000))));

        assertThat(one.config()).doesNotContain("resolvers");
        assertThat(one.config()).isNotEqualTo(other.config());
        assertThat(one.structure()).isEqualTo(other.structure()).doesNotContain("server a");
    }

    @Test
    void globalHoldsTheSocketsThreadsAndTimeouts() {
        String config = HaproxyConfig.render(TOP, List.of()).config();

        assertThat(section(config, "global")).contains("nbthread 2",
                "stats socket /run/ailtire/haproxy/runtime.sock mode 600 level admin expose-fd listeners");
        assertThat(section(config, "defaults")).contains("timeout connect 5000ms", "timeout http-request 10000ms",
                "retry-on conn-failure", "option redispatch 1");
        assertThat(section(config, "frontend gateway")).contains("bind 0.0.0.0:8080");
    }

    private static Route guarded(RouteFirewall firewall) {
        return new Route("web", "/shop", RouteTarget.service("web", 8000), "/", Route.Protocol.HTTP,
                Route.Origin.DEFINITION, firewall);
    }

    private static final RouteFirewall NONE = RouteFirewall.NONE;

    @Test
    void aRouteWithoutFirewallKeysHasNoChecksAndTheDefaultsRetries() {
        List<String> backend = backend(HaproxyConfig.render(TOP, List.of(servers(SHOP))).config(), "r_web");

        assertThat(String.join("\n", backend)).doesNotContain("stick-table", "track-sc", "http_auth", "content-length",
                "var(txn.client)", "retries", "timeout server");
    }

    @Test
    void theAllowListAnswers403ToEveryOtherClientAddress() {
        Route route = guarded(new RouteFirewall(Optional.empty(), List.of("10.0.0.0/8", "127.0.0.1", "fd00::/8"),
                Optional.empty(), OptionalLong.empty(), Optional.empty(), OptionalInt.empty()));

        assertThat(backend(HaproxyConfig.render(TOP, List.of(servers(route))).config(), "r_web")).contains(
                "http-request return status 403 content-type application/json string '{\"error\":\"route web (/shop):"
                        + " your address is not allowed\",\"route\":\"web\",\"path\":\"/shop\"}'"
                        + " unless { var(txn.client) -m ip 10.0.0.0/8 127.0.0.1 fd00::/8 }");
    }

    @Test
    void theRateLimitCountsRequestsPerClientAddressInTheRoutesOwnTable() {
        Route route = guarded(new RouteFirewall(Optional.of(new RouteFirewall.RateLimit(100, Duration.ofSeconds(10))),
                List.of(), Optional.empty(), OptionalLong.empty(), Optional.empty(), OptionalInt.empty()));

        assertThat(backend(HaproxyConfig.render(TOP, List.of(servers(route))).config(), "r_web")).containsSubsequence(
                "stick-table type ipv6 size 100k expire 10000ms store http_req_rate(10000ms)",
                "http-request track-sc1 var(txn.client)",
                "http-request return status 429 content-type application/json string '{\"error\":\"route web (/shop):"
                        + " more than 100 requests in 10000 ms from your address\",\"route\":\"web\",\"path\":\"/shop\"}'"
                        + " hdr Retry-After 10 if { sc1_http_req_rate gt 100 }");
    }

    @Test
    void basicAuthChecksAUserlistOfHashesAndDropsTheCredentials() {
        Map<String, String> users = new LinkedHashMap<>();
        users.put("alice", "$6$salt$hash");
        users.put("bob", "$2y$05$x'y");
        Route route = guarded(new RouteFirewall(Optional.empty(), List.of(), Optional.of(new RouteFirewall.BasicAuth(users)),
                OptionalLong.empty(), Optional.empty(), OptionalInt.empty()));
        String config = HaproxyConfig.render(TOP, List.of(servers(route))).config();

        assertThat(backend(config, "r_web")).containsSubsequence(
                "http-request auth realm web unless { http_auth(ul_r_web) }",
                "http-request del-header Authorization");
        assertThat(backend(config, "r_web")).contains("http-error status 401 content-type application/json string"
                + " '{\"error\":\"route web (/shop): authentication required\",\"route\":\"web\",\"path\":\"/shop\"}'");
        assertThat(section(config, "userlist ul_r_web")).containsExactly(
                "user alice password '$6$salt$hash'",
                "user bob password '$2y$05$x'\"'\"'y'");
        assertThat(HaproxyConfig.render(TOP, List.of(servers(SHOP))).config()).doesNotContain("userlist");
    }

    @Test
    void theBodyLimitAnswers413AboveTheAnnouncedLengthAnd411ToAChunkedBody() {
        Route route = guarded(new RouteFirewall(Optional.empty(), List.of(), Optional.empty(), OptionalLong.of(1_048_576),
                Optional.empty(), OptionalInt.empty()));

        assertThat(backend(HaproxyConfig.render(TOP, List.of(servers(route))).config(), "r_web")).contains(
                "http-request return status 413 content-type application/json string '{\"error\":\"route web (/shop):"
                        + " the request body is larger than 1048576 bytes\",\"route\":\"web\",\"path\":\"/shop\"}'"
                        + " if { req.hdr_val(content-length) gt 1048576 }",
                "http-request return status 411 content-type application/json string '{\"error\":\"route web (/shop)"
                        + " takes request bodies with a Content-Length only (at most 1048576 bytes)\",\"route\":\"web\","
                        + "\"path\":\"/shop\"}' if { req.hdr(transfer-encoding) -m found }");
    }

    @Test
    void theRoutesTimeoutIsTheServerTimeoutAndIts504SaysIt() {
        Route route = guarded(new RouteFirewall(Optional.empty(), List.of(), Optional.empty(), OptionalLong.empty(),
                Optional.of(Duration.ofSeconds(30)), OptionalInt.empty()));

        assertThat(backend(HaproxyConfig.render(TOP, List.of(servers(route))).config(), "r_web")).contains(
                "timeout server 30000ms",
                "http-error status 504 content-type application/json string '{\"error\":\"route web (/shop): service"
                        + " web:8000 did not answer within 30000 ms\",\"route\":\"web\",\"path\":\"/shop\"}'");
    }

    @Test
    void retriesAfterTheRequestMayHaveReachedATaskAreForIdempotentMethodsOnly() {
        Route route = guarded(new RouteFirewall(Optional.empty(), List.of(), Optional.empty(), OptionalLong.empty(),
                Optional.empty(), OptionalInt.of(2)));

        assertThat(backend(HaproxyConfig.render(TOP, List.of(servers(route))).config(), "r_web")).contains(
                "retries 2",
                "retry-on conn-failure empty-response response-timeout",
                "http-request disable-l7-retry unless { method GET HEAD OPTIONS PUT DELETE }");
    }

    @Test
    void theChecksComeInOrderBeforeTheRequestIsRewritten() {
        Route route = guarded(new RouteFirewall(Optional.of(new RouteFirewall.RateLimit(5, Duration.ofSeconds(1))),
                List.of("10.0.0.0/8"), Optional.of(new RouteFirewall.BasicAuth(Map.of("alice", "$6$s$h"))),
                OptionalLong.of(10), Optional.empty(), OptionalInt.empty()));
        List<String> backend = backend(HaproxyConfig.render(TOP, List.of(servers(route))).config(), "r_web");

        List<String> order = backend.stream().filter(l -> l.startsWith("http-request")).map(l -> l.contains("403") ? "allow"
                : l.contains("429") ? "rate_limit" : l.contains(" auth ") ? "auth" : l.contains("413") ? "max_body"
                : l.contains("replace-path") ? "rewrite" : "").filter(s -> !s.isEmpty()).toList();
        assertThat(order).containsExactly("allow", "rate_limit", "auth", "max_body", "rewrite", "rewrite");
    }

    @Test
    void atTheTopConnectionsPerClientAddressAreCappedAndBehindAParentTheClientIsTheForwardedOne() {
        assertThat(section(HaproxyConfig.render(TOP, List.of()).config(), "frontend gateway")).containsSubsequence(
                "stick-table type ipv6 size 100k expire 60000ms store conn_cur",
                "tcp-request connection track-sc0 src",
                "tcp-request connection reject if { sc0_conn_cur gt 200 }",
                "http-request set-var(txn.client) src");
        assertThat(section(HaproxyConfig.render(CHILD, List.of()).config(), "frontend gateway")).containsSubsequence(
                "http-request set-var(txn.client) req.hdr_ip(x-forwarded-for,1)",
                "http-request set-var(txn.client) src unless { var(txn.client) -m found }")
                .noneMatch(l -> l.contains("conn_cur"));
    }

    /** The lines of one section, trimmed. */
    @Test
    void withTlsTheGatewayPortIsBoundWithTheCertificateAndOffersHttp2AndSaysHttps() {
        DataPlaneSettings tls = TOP.withTls(new GatewayTls(RUN.resolve("tls.pem"), 0, 443));
        String config = HaproxyConfig.render(tls, List.of(servers(SHOP))).config();

        assertThat(section(config, "frontend gateway")).contains(
                "bind 0.0.0.0:8080 ssl crt /run/ailtire/haproxy/tls.pem alpn h2,http/1.1",
                "http-request set-header X-Forwarded-Proto https");
        assertThat(section(config, "global")).contains("ssl-default-bind-options ssl-min-ver TLSv1.2 no-tls-tickets");
        assertThat(config).doesNotContain("frontend https_redirect");
        String plain = HaproxyConfig.render(TOP, List.of(servers(SHOP))).config();
        assertThat(section(plain, "frontend gateway")).contains("bind 0.0.0.0:8080",
                "http-request set-header X-Forwarded-Proto http");
        assertThat(plain).doesNotContain("ssl");
    }

    @Test
    void theRedirectPortAnswersWithTheSameHostAndUriOverHttpsAtThePublicPort() {
        String config = HaproxyConfig.render(TOP.withTls(new GatewayTls(RUN.resolve("tls.pem"), 8082, 8443)),
                List.of(servers(SHOP))).config();

        assertThat(section(config, "frontend https_redirect")).containsExactly(
                "bind 0.0.0.0:8082",
                "http-request return status 400 content-type application/json string '{\"error\":\"this port redirects"
                        + " to https and needs the request'\"'\"'s Host header\"}' unless { req.hdr(host) -m found }",
                "http-request redirect location https://%[req.hdr(host),field(1,:)]:8443%[capture.req.uri] code 301 if METH_GET",
                "http-request redirect location https://%[req.hdr(host),field(1,:)]:8443%[capture.req.uri] code 308");
        String standard = HaproxyConfig.render(TOP.withTls(new GatewayTls(RUN.resolve("tls.pem"), 8082, 443)),
                List.of(servers(SHOP))).config();
        assertThat(section(standard, "frontend https_redirect"))
                .contains("http-request redirect location https://%[req.hdr(host),field(1,:)]%[capture.req.uri] code 308");
    }

    @Test
    void hstsIsSetOnEveryAnswerOfTheTlsPortAndNeverOnThePlainRedirectPort() {
        GatewayTls tls = new GatewayTls(RUN.resolve("tls.pem"), 8082, 443,
                java.util.Optional.of(new Hsts(31536000, false)));
        String config = HaproxyConfig.render(TOP.withTls(tls), List.of(servers(SHOP))).config();

        assertThat(section(config, "frontend gateway"))
                .contains("http-after-response set-header Strict-Transport-Security 'max-age=31536000'");
        assertThat(section(config, "frontend https_redirect")).noneMatch(l -> l.contains("Strict-Transport-Security"));
        assertThat(config.lines().filter(l -> l.contains("Strict-Transport-Security"))).hasSize(1);

        GatewayTls subdomains = new GatewayTls(RUN.resolve("tls.pem"), 0, 443,
                java.util.Optional.of(new Hsts(600, true)));
        assertThat(section(HaproxyConfig.render(TOP.withTls(subdomains), List.of(servers(SHOP))).config(),
                "frontend gateway")).contains(
                "http-after-response set-header Strict-Transport-Security 'max-age=600; includeSubDomains'");
        String withoutHsts = HaproxyConfig.render(TOP.withTls(new GatewayTls(RUN.resolve("tls.pem"), 8082, 443)),
                List.of(servers(SHOP))).config();
        assertThat(withoutHsts).as("off by default").doesNotContain("Strict-Transport-Security");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Hsts(-1, false)).hasMessageContaining("max-age: expected whole seconds from 0");
    }

    @Test
    void aChildGatewayNeverTerminatesTls() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> CHILD.withTls(new GatewayTls(RUN.resolve("tls.pem"), 0, 443)))
                .hasMessageContaining("only the top gateway terminates TLS");
    }

    @Test
    void hostRoutesAreLookedUpByHostAndPathThenWildcardThenPathAlone() {
        Route shop = new Route("shop", "/", RouteTarget.service("shop", 80), "/", Route.Protocol.HTTP,
                "shop.example.com", Route.Origin.DEFINITION);
        Route cart = new Route("cart", "/cart", RouteTarget.service("shop", 81), "/cart", Route.Protocol.HTTP,
                "shop.example.com", Route.Origin.DEFINITION);
        Route blogs = new Route("blogs", "/", RouteTarget.service("blog", 80), "/", Route.Protocol.HTTP,
                "*.example.org", Route.Origin.DEFINITION);
        RenderedConfig rendered = HaproxyConfig.render(TOP, List.of(servers(shop), servers(cart), servers(blogs),
                servers(SHOP), servers(ROOT)));

        assertThat(rendered.files().get(HaproxyConfig.HOST_EXACT_MAP).lines().skip(1))
                .containsExactly("shop.example.com/cart cart", "*.example.org/ blogs", "shop.example.com/ shop");
        assertThat(rendered.files().get(HaproxyConfig.HOST_PREFIX_MAP).lines().skip(1))
                .containsExactly("shop.example.com/cart/ cart", "*.example.org/ blogs", "shop.example.com/ shop");
        assertThat(rendered.files().get(HaproxyConfig.EXACT_MAP).lines().skip(1)).containsExactly("/shop web", "/ site");
        String unless = " unless { var(txn.route) -m found }";
        assertThat(section(rendered.config(), "frontend gateway")).containsSubsequence(
                "http-request set-var(txn.host) req.hdr(host),field(1,:),lower",
                "http-request set-var-fmt(txn.host_path) %[var(txn.host)]%[path]",
                "http-request set-var-fmt(txn.wildcard_path) *.%[var(txn.host),field(2,.,0)]%[path]",
                "http-request set-var(txn.route) var(txn.host_path),map_str(/run/ailtire/haproxy/routes-host-exact.map)",
                "http-request set-var(txn.route) var(txn.host_path),map_beg(/run/ailtire/haproxy/routes-host-prefix.map)" + unless,
                "http-request set-var(txn.route) var(txn.wildcard_path),map_str(/run/ailtire/haproxy/routes-host-exact.map)" + unless,
                "http-request set-var(txn.route) var(txn.wildcard_path),map_beg(/run/ailtire/haproxy/routes-host-prefix.map)" + unless,
                "http-request set-var(txn.route) path,map_str(/run/ailtire/haproxy/routes-exact.map)" + unless,
                "http-request set-var(txn.route) path,map_beg(/run/ailtire/haproxy/routes-prefix.map)" + unless);
        assertThat(HaproxyConfig.render(TOP, List.of(servers(SHOP))).config())
                .as("without host routes, no host lookups").doesNotContain("txn.host");
    }

    @Test
    void theExporterListensOnLoopbackOnlyAndNeverOnTheGatewayPort() {
        String config = HaproxyConfig.render(TOP.withMetricsPort(18405), List.of(servers(SHOP))).config();

        assertThat(section(config, "frontend " + HaproxyConfig.EXPORTER_FRONTEND)).containsExactly(
                "bind 127.0.0.1:18405",
                "http-request use-service prometheus-exporter if { path /metrics }",
                "http-request return status 404");
        assertThat(section(config, "frontend gateway")).noneMatch(line -> line.contains("prometheus"));
        assertThat(config.lines().filter(line -> line.contains("prometheus-exporter"))).hasSize(1);
        assertThat(HaproxyConfig.render(TOP, List.of(servers(SHOP))).config())
                .as("no exporter port, no exporter").doesNotContain("prometheus-exporter");
    }

    @Test
    void theExportersPortIsNotTheGatewaysPort() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> TOP.withMetricsPort(8080))
                .hasMessageContaining("metricsPort");
    }

    private static List<String> section(String config, String header) {
        List<String> lines = config.lines().toList();
        int start = lines.indexOf(header);
        assertThat(start).as("section " + header).isNotNegative();
        return lines.subList(start + 1, lines.size()).stream().takeWhile(l -> !l.isEmpty()).map(String::strip).toList();
    }

    private static List<String> backend(String config, String name) {
        return section(config, "backend " + name);
    }
}
