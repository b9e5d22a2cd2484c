package org.ailtire.gateway;

import org.ailtire.definition.DefinitionException;
import org.ailtire.definition.DefinitionLoader;
import org.ailtire.definition.StackDefinition;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RoutesTest {

    private static StackDefinition load(String yaml) throws DefinitionException {
        return new DefinitionLoader(null).load(yaml, Map.of()).definition();
    }

    private static Route route(String path, String rewrite) {
        return new Route("r", path, RouteTarget.service("web", 80), rewrite, Route.Protocol.HTTP, Route.Origin.RUNTIME);
    }

    @Test
    void declaredRoutesOfServicesAndChildStacks() throws Exception {
        StackRoutes routes = StackRoutes.declaredBy(load("""
                services:
                  web:
                    image: nginx
                    x-ailtire:
                      routes:
                        - {path: /shop, port: 8000, rewrite: /}
                        - {path: /live, port: "9000", protocol: ws}
                  plain:
                    image: nginx
                  backend:
                    x-ailtire:
                      stack: "services: {api: {image: nginx}}"
                  store:
                    x-ailtire:
                      stack: "services: {db: {image: nginx}}"
                      path: /shelf
                """));
        assertThat(routes.services()).containsExactlyInAnyOrder("web", "plain");
        assertThat(routes.childStacks()).containsExactlyInAnyOrder("backend", "store");
        assertThat(routes.declared()).containsExactly(
                new Route("web", "/shop", RouteTarget.service("web", 8000), "/", Route.Protocol.HTTP, Route.Origin.DEFINITION),
                new Route("web-1", "/live", RouteTarget.service("web", 9000), "/live", Route.Protocol.WS, Route.Origin.DEFINITION),
                new Route("backend", "/backend", RouteTarget.childStack("backend"), "/", Route.Protocol.WS, Route.Origin.DEFINITION),
                new Route("store", "/shelf", RouteTarget.childStack("store"), "/", Route.Protocol.WS, Route.Origin.DEFINITION));
    }

    @Test
    void anOrdinaryServiceWithRoutesStillNeedsAnImage() {
        assertThatThrownBy(() -> load("""
                services:
                  web: {x-ailtire: {routes: [{path: /x, port: 80}]}}
                """)).isInstanceOf(DefinitionException.class).hasMessageContaining("services.web.image");
    }

    @Test
    void prefixesMatchWholeSegments() {
        Route shop = route("/shop", "/shop");
        assertThat(shop.matches("/shop")).isTrue();
        assertThat(shop.matches("/shop/")).isTrue();
        assertThat(shop.matches("/shop/cart")).isTrue();
        assertThat(shop.matches("/shopping")).isFalse();
        assertThat(shop.matches("/")).isFalse();
        assertThat(route("/", "/").matches("/anything/at/all")).isTrue();
    }

    @Test
    void rewriteReplacesThePrefix() {
        assertThat(route("/shop", "/").rewrite("/shop")).isEqualTo("/");
        assertThat(route("/shop", "/").rewrite("/shop/")).isEqualTo("/");
        assertThat(route("/shop", "/").rewrite("/shop/cart/1")).isEqualTo("/cart/1");
        assertThat(route("/shop", "/store").rewrite("/shop/cart")).isEqualTo("/store/cart");
        assertThat(route("/shop", "/shop").rewrite("/shop/cart")).isEqualTo("/shop/cart");
        assertThat(route("/", "/").rewrite("/a/b")).isEqualTo("/a/b");
        assertThat(route("/", "/v2").rewrite("/a")).isEqualTo("/v2/a");
        assertThat(route("/shop", "/").strippedPrefix()).isEqualTo("/shop");
        assertThat(route("/shop", "/shop").strippedPrefix()).isEmpty();
    }

    @Test
    void theLongestPrefixWins() throws Exception {
        RouteTable table = new RouteTable(() -> new StackRoutes(java.util.List.of(
                new Route("web", "/", RouteTarget.service("web", 80), "/", Route.Protocol.HTTP, Route.Origin.DEFINITION),
                new Route("backend", "/backend", RouteTarget.childStack("backend"), "/", Route.Protocol.WS,
                        Route.Origin.DEFINITION)), Set.of("web", "api"), Set.of("backend")));
        table.add(Map.of("name", "api", "path", "/backend/api", "service", "api", "port", 9000));
        assertThat(table.match("/index.html").orElseThrow().name()).isEqualTo("web");
        assertThat(table.match("/backend/db").orElseThrow().name()).isEqualTo("backend");
        assertThat(table.match("/backend/api/x").orElseThrow().name()).isEqualTo("api");
        assertThat(table.match("/backendx").orElseThrow().name()).isEqualTo("web");
    }

    @Test
    void aRouteForTheHostWinsOverAWildcardOneWhichWinsOverAHostLessOne() throws Exception {
        RouteTable table = new RouteTable(() -> new StackRoutes(java.util.List.of(
                new Route("api", "/api-v1", RouteTarget.service("api", 80), "/", Route.Protocol.HTTP, Route.Origin.DEFINITION),
                new Route("site", "/", RouteTarget.service("site", 80), "/", Route.Protocol.HTTP, Route.Origin.DEFINITION),
                new Route("shop", "/", RouteTarget.service("shop", 80), "/", Route.Protocol.HTTP, "shop.example.com",
                        Route.Origin.DEFINITION),
                new Route("any", "/", RouteTarget.service("any", 80), "/", Route.Protocol.HTTP, "*.example.com",
                        Route.Origin.DEFINITION)), Set.of("api", "site", "shop", "any"), Set.of()));
        assertThat(table.match("SHOP.example.com:8443", "/api-v1/x").orElseThrow().name()).isEqualTo("shop");
        assertThat(table.match("www.example.com", "/api-v1/x").orElseThrow().name()).isEqualTo("any");
        assertThat(table.match("example.com", "/api-v1/x").orElseThrow().name()).isEqualTo("api");
        assertThat(table.match("a.b.example.com", "/").orElseThrow().name()).isEqualTo("site");
        assertThat(table.match("/").orElseThrow().name()).isEqualTo("site");
        table.add(Map.of("name", "late", "path", "/api-v2", "service", "api", "port", 81));
        assertThat(table.match("shop.example.com", "/api-v2").orElseThrow().name()).isEqualTo("shop");

        RouteTable hostOnly = new RouteTable(() -> new StackRoutes(java.util.List.of(new Route("shop", "/shop",
                RouteTarget.service("shop", 80), "/", Route.Protocol.HTTP, "shop.example.com", Route.Origin.DEFINITION)),
                Set.of("shop"), Set.of()));
        hostOnly.add(Map.of("name", "other", "path", "/shop", "service", "shop", "port", 81));
        assertThat(hostOnly.match("blog.example.com", "/shop").orElseThrow().name())
                .as("a host route does not claim its path for other hosts").isEqualTo("other");
    }

    @Test
    void runtimeRoutesNameTargetsOfThisStackOnly() throws Exception {
        RouteTable table = new RouteTable(() -> new StackRoutes(java.util.List.of(), Set.of("web"), Set.of("backend")));
        assertThat(table.match("/x")).isEmpty();

        assertThatThrownBy(() -> table.add(Map.of("name", "evil", "path", "/evil", "service", "169.254.169.254",
                "port", 80))).isInstanceOf(RouteTable.Refused.class)
                .satisfies(e -> assertThat(((RouteTable.Refused) e).conflict()).isFalse())
                .satisfies(e -> assertThat(((RouteTable.Refused) e).problems()).singleElement().asString()
                        .startsWith("service: \"169.254.169.254\" is not a service or child stack of this stack"));
        Map<String, Object> withAddress = new LinkedHashMap<>(Map.of("name", "evil", "path", "/evil", "service", "web",
                "port", 80));
        withAddress.put("address", "10.0.0.9");
        assertThatThrownBy(() -> table.add(withAddress)).isInstanceOf(RouteTable.Refused.class)
                .satisfies(e -> assertThat(((RouteTable.Refused) e).problems()).singleElement().asString()
                        .startsWith("address: unknown field; a route names its target by \"service\""));
        assertThatThrownBy(() -> table.add(Map.of("name", "b", "path", "/b", "service", "backend", "port", 80)))
                .isInstanceOf(RouteTable.Refused.class).hasFieldOrPropertyWithValue("conflict", false);

        Route added = table.add(Map.of("name", "b", "path", "/b", "service", "backend"));
        assertThat(added.target()).isEqualTo(RouteTarget.childStack("backend"));
        assertThat(added.rewrite()).isEqualTo("/b");
        assertThatThrownBy(() -> table.add(Map.of("name", "b2", "path", "/b", "service", "web", "port", 80)))
                .isInstanceOf(RouteTable.Refused.class).hasFieldOrPropertyWithValue("conflict", true)
                .hasMessage("path /b is already routed by b");
        assertThat(table.remove("b")).contains(added);
        assertThat(table.all()).isEmpty();
    }

    @Test
    void runtimeRoutesTakeAHostAndTheFirewallKeysCheckedAsADefinitionsAre() throws Exception {
        RouteTable table = new RouteTable(() -> new StackRoutes(java.util.List.of(), Set.of("web"), Set.of()));
        Map<String, Object> body = new LinkedHashMap<>(Map.of("name", "admin", "path", "/admin", "service", "web",
                "port", 80, "host", "Admin.Example.com"));
        body.put("rate_limit", Map.of("requests", 5, "per", "1s"));
        body.put("allow", java.util.List.of("127.0.0.1", "10.1.0.0/16"));
        body.put("max_body", "1k");
        body.put("retries", 2);

        Route added = table.add(body);

        assertThat(added.host()).isEqualTo("admin.example.com");
        assertThat(added.firewall().rateLimit()).hasValueSatisfying(l -> assertThat(l.requests()).isEqualTo(5));
        assertThat(added.firewall().allow()).containsExactly("127.0.0.1", "10.1.0.0/16");
        assertThat(added.firewall().maxBody()).hasValue(1024);
        assertThat(added.firewall().retries()).hasValue(2);
        assertThat(table.match("admin.example.com", "/admin").orElseThrow().name()).isEqualTo("admin");
        assertThat(table.match("other.example.com", "/admin")).isEmpty();
        table.add(Map.of("name", "public", "path", "/admin", "service", "web", "port", 80));
        assertThatThrownBy(() -> table.add(Map.of("name", "again", "path", "/admin", "service", "web", "port", 80,
                "host", "admin.example.com"))).isInstanceOf(RouteTable.Refused.class)
                .hasMessage("path /admin for host admin.example.com is already routed by admin");

        Map<String, Object> wrong = new LinkedHashMap<>(Map.of("name", "bad", "path", "/bad", "service", "web",
                "port", 80, "host", "not a host", "retries", 99));
        wrong.put("rate_limit", Map.of("requests", 0, "per", "1s"));
        wrong.put("auth", Map.of("users", Map.of("alice", "plain-text")));
        assertThatThrownBy(() -> table.add(wrong)).isInstanceOf(RouteTable.Refused.class)
                .satisfies(e -> assertThat(((RouteTable.Refused) e).problems()).hasSize(4)
                        .anySatisfy(p -> assertThat(p).startsWith("host: "))
                        .anySatisfy(p -> assertThat(p).startsWith("rate_limit.requests: "))
                        .anySatisfy(p -> assertThat(p).startsWith("auth.users.alice: "))
                        .anySatisfy(p -> assertThat(p).startsWith("retries: expected a whole number from 0 to 10")));
        assertThat(table.find("bad")).isEmpty();
    }

    @Test
    void aBadRouteTwoStacksDownRefusesTheTopDefinition() throws Exception {
        StackDefinition top = load("""
                services:
                  backend:
                    x-ailtire:
                      stack: |
                        services:
                          db:
                            x-ailtire:
                              stack: "services: {store: {image: nginx, x-ailtire: {routes: [{path: /api, port: 80}]}}}"
                """);
        var topology = new org.ailtire.swarm.topology.Topology(new org.ailtire.swarm.topology.ControllerSettings(
                "img", 8081, 8080, "token", "dnsrr", "/var/run/docker.sock", org.ailtire.stack.ImageResolution.ALWAYS));
        var place = org.ailtire.swarm.topology.StackPlace.root("shop").child("shop");
        assertThatThrownBy(() -> topology.expand(place, top)).isInstanceOf(DefinitionException.class)
                .hasMessageContaining("services.backend.x-ailtire.stack.services.db.x-ailtire.stack.services.store"
                        + ".x-ailtire.routes[0].path: /api/ belongs to the control plane");
    }
}
