package org.ailtire.definition;

import org.ailtire.definition.RouteDeclaration.Protocol;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code x-ailtire} is read once, by the loader, into typed fields; every wrong field is named by its path. */
class AiltireExtensionTest {

    private static StackDefinition load(String yaml) throws DefinitionException {
        return new DefinitionLoader(null).load(yaml, Map.of()).definition();
    }

    private static List<String> problems(String yaml) {
        return assertThatThrownBy(() -> load(yaml)).isInstanceOf(DefinitionException.class).actual()
                instanceof DefinitionException e ? e.problems().stream().map(Problem::toString).toList() : List.of();
    }

    @Test
    void routesAndChildStacksAreTypedFields() throws Exception {
        StackDefinition definition = load("""
                services:
                  web:
                    image: nginx
                    x-ailtire:
                      routes:
                        - {path: /shop, port: 8000, rewrite: /}
                        - {path: /live, port: "9000", protocol: WS}
                    x-team: core
                  plain:
                    image: nginx
                  backend:
                    x-ailtire:
                      stack: "services: {api: {image: nginx}}"
                  store:
                    x-ailtire:
                      stack: "services: {db: {image: nginx}}"
                      path: /shelf
                """);
        ServiceDefinition web = definition.services().get("web");
        assertThat(web.ailtire()).isEqualTo(new AiltireExtension(Optional.empty(), List.of(
                new RouteDeclaration("/shop", 8000, "/", Protocol.HTTP),
                new RouteDeclaration("/live", 9000, "/live", Protocol.WS))));
        assertThat(web.extensions()).as("x-ailtire is a typed field, not a raw one")
                .containsExactly(Map.entry("x-team", "core"));
        assertThat(definition.services().get("plain").ailtire()).isEqualTo(AiltireExtension.NONE);
        assertThat(definition.services().get("backend").ailtire())
                .isEqualTo(AiltireExtension.childStack("backend", "services: {api: {image: nginx}}"));
        assertThat(definition.services().get("store").ailtire().stack())
                .contains(new ChildStackReference("services: {db: {image: nginx}}", "/shelf"));
    }

    @Test
    void aChildDefinitionGivenAsAMappingIsHandedOnAsYamlText() throws Exception {
        ChildStackReference child = load("""
                services:
                  backend:
                    x-ailtire:
                      stack:
                        services:
                          db: {image: "busybox:1.36", command: [sh, -c, "echo ${NOT_INTERPOLATED}"]}
                """).services().get("backend").ailtire().stack().orElseThrow();
        assertThat(load(child.definition()).services().get("db").command())
                .containsExactly("sh", "-c", "echo ");
        assertThat(child.definition()).contains("${NOT_INTERPOLATED}").contains("busybox:1.36");
    }

    @Test
    void badRoutesAreNamedByTheirPath() {
        assertThat(problems("""
                services:
                  web:
                    image: nginx
                    x-ailtire:
                      routes:
                        - {path: /shop, port: 70000}
                        - {path: shop, port: 80, protocol: ftp, hostname: evil.example}
                        - {path: /api/v1, port: 80}
                        - {path: /a/../b, port: 80, rewrite: x}
                        - /plain
                  other:
                    image: nginx
                    x-ailtire: {routes: [{path: /other, port: 80}], color: red}
                  third:
                    image: nginx
                    x-ailtire: {routes: {path: /third, port: 80}}
                """))
                .contains("services.web.x-ailtire.routes[0].port: expected 1-65535, got 70000")
                .anyMatch(p -> p.startsWith("services.web.x-ailtire.routes[1].path: expected a path starting with /"))
                .anyMatch(p -> p.startsWith("services.web.x-ailtire.routes[1].protocol: expected http or ws"))
                .anyMatch(p -> p.startsWith("services.web.x-ailtire.routes[1].hostname: unknown field"))
                .anyMatch(p -> p.startsWith("services.web.x-ailtire.routes[2].path: /api/ belongs to the control plane"))
                .anyMatch(p -> p.startsWith("services.web.x-ailtire.routes[3].path: \".\" and \"..\""))
                .anyMatch(p -> p.startsWith("services.web.x-ailtire.routes[3].rewrite: expected a path"))
                .anyMatch(p -> p.startsWith("services.web.x-ailtire.routes[4]: expected a mapping {path, port, rewrite, protocol, host, "))
                .contains("services.other.x-ailtire.color: unknown field: an ordinary service's x-ailtire holds"
                        + " \"routes\" and \"auto_redeploy\" (a child stack service holds \"stack\")")
                .anyMatch(p -> p.startsWith("services.third.x-ailtire.routes: expected a list of {path, port, rewrite, protocol, host, "))
                .hasSize(10);
    }

    @Test
    void aRouteMayNameAHostOrAWildcardDomainKeptInLowerCase() throws Exception {
        StackDefinition definition = load("""
                services:
                  shop:
                    image: nginx
                    x-ailtire:
                      routes:
                        - {path: /, port: 80, host: Shop.Example.com}
                        - {path: /, port: 81, host: "*.example.org"}
                        - {path: /, port: 82}
                """);
        assertThat(definition.services().get("shop").ailtire().routes()).containsExactly(
                new RouteDeclaration("/", 80, "/", Protocol.HTTP, "shop.example.com"),
                new RouteDeclaration("/", 81, "/", Protocol.HTTP, "*.example.org"),
                new RouteDeclaration("/", 82, "/", Protocol.HTTP, ""));
    }

    @Test
    void badHostsAreNamedByTheirPath() {
        assertThat(problems("""
                services:
                  web:
                    image: nginx
                    x-ailtire:
                      routes:
                        - {path: /a, port: 80, host: "shop.example.com:8080"}
                        - {path: /b, port: 80, host: "https://shop.example.com"}
                        - {path: /c, port: 80, host: "shop..example.com"}
                        - {path: /d, port: 80, host: "*"}
                        - {path: /e, port: 80, host: "a.*.example.com"}
                        - {path: /f, port: 80, host: 42}
                        - {path: /g, port: 80, host: "-shop.example.com"}
                """)).hasSize(7).allMatch(p -> p.contains(".host: expected a host name such as shop.example.com"))
                .anyMatch(p -> p.startsWith("services.web.x-ailtire.routes[0].host: ") && p.endsWith("got \"shop.example.com:8080\""))
                .anyMatch(p -> p.startsWith("services.web.x-ailtire.routes[5].host: ") && p.endsWith("got 42"));
    }

    @Test
    void onePathMayGoToTwoServicesForTwoHostsButNotTwiceForOne() {
        assertThat(problems("""
                services:
                  shop:
                    image: nginx
                    x-ailtire: {routes: [{path: /, port: 80, host: shop.example.com}, {path: /, port: 80}]}
                  blog:
                    image: nginx
                    x-ailtire: {routes: [{path: /, port: 80, host: blog.example.com}, {path: /, port: 80, host: SHOP.example.com}]}
                """)).containsExactly("services.blog.x-ailtire: route path / for host shop.example.com is already"
                + " routed to shop");
    }

    @Test
    void aChildStackHoldsStackAndPathOnly() {
        assertThat(problems("""
                services:
                  backend:
                    x-ailtire:
                      stack: "services: {api: {image: nginx}}"
                      path: backend
                      routes: [{path: /x, port: 80}]
                      replicas: 2
                """)).containsExactlyInAnyOrder(
                "services.backend.x-ailtire.routes: a child stack is routed at its path; its own services declare"
                        + " their routes in its definition",
                "services.backend.x-ailtire.replicas: unknown field: a child stack service's x-ailtire holds"
                        + " \"stack\" and \"path\" (an ordinary service's holds \"routes\")",
                "services.backend.x-ailtire.path: expected a path starting with /, with no empty segment, no trailing"
                        + " slash and no spaces, got \"backend\"");
    }

    @Test
    void anOriginalChildIsMarkedByCompatibilityWithAnOptionalPath() throws Exception {
        StackDefinition definition = load("""
                services:
                  legacy:
                    image: ailtire/sidecar:1
                    x-ailtire: {compatibility: original}
                  shop:
                    image: ailtire/sidecar:1
                    x-ailtire: {compatibility: original, path: /store}
                """);
        assertThat(definition.services().get("legacy").ailtire()).isEqualTo(AiltireExtension.originalChild("legacy"));
        assertThat(definition.services().get("legacy").ailtire().isChildStack()).as("not one of ours").isFalse();
        assertThat(definition.services().get("shop").ailtire().original())
                .contains(new OriginalChildReference("/store"));
    }

    @Test
    void anOriginalChildNeedsItsImageAndTheWordOriginalAndHoldsNoDefinitionOfOurs() {
        assertThat(problems("""
                services:
                  legacy:
                    x-ailtire: {compatibility: node, path: legacy, stack: "services: {a: {image: nginx}}"}
                """)).containsExactlyInAnyOrder(
                "services.legacy.image: required: swarm services run an image (build is not supported)",
                "services.legacy.x-ailtire.compatibility: expected \"original\" (the service's image is an original"
                        + " ailtire sidecar), got \"node\"",
                "services.legacy.x-ailtire.stack: unknown field: an original child stack's x-ailtire holds"
                        + " \"compatibility\" and \"path\" (its definition is its own, in its image)",
                "services.legacy.x-ailtire.path: expected a path starting with /, with no empty segment, no trailing"
                        + " slash and no spaces, got \"legacy\"");
    }

    @Test
    void anOriginalChildClaimsItsPath() {
        assertThat(problems("""
                services:
                  a: {image: nginx, x-ailtire: {routes: [{path: /legacy, port: 80}]}}
                  legacy: {image: ailtire/sidecar:1, x-ailtire: {compatibility: original}}
                """)).containsExactly("services.legacy.x-ailtire: route path /legacy is already routed to a");
    }

    @Test
    void twoServicesCannotClaimOnePath() {
        assertThat(problems("""
                services:
                  a: {image: nginx, x-ailtire: {routes: [{path: /x, port: 80}]}}
                  b: {image: nginx, x-ailtire: {routes: [{path: /x, port: 81}]}}
                  x: {x-ailtire: {stack: "services: {c: {image: nginx}}"}}
                """)).containsExactly(
                "services.b.x-ailtire: route path /x is already routed to a",
                "services.x.x-ailtire: route path /x is already routed to a");
    }

    @Test
    void aNonMappingIsAnError() {
        assertThat(problems("""
                services:
                  backend:
                    image: busybox
                    x-ailtire: backend.yml
                """)).containsExactly("services.backend.x-ailtire: expected a mapping with \"stack\" (the child"
                + " stack's definition), \"compatibility\" (an original ailtire child stack) or \"routes\" (the"
                + " gateway routes of an ordinary service)");
    }

    @Test
    void aChildFileReferenceIsRefusedNeverRead() {
        for (String reference : List.of("backend.yml", "../../../../etc/passwd", "/etc/shadow", "sub/db.yaml")) {
            assertThat(problems("""
                    services:
                      backend:
                        x-ailtire:
                          stack: "%s"
                    """.formatted(reference))).as(reference).containsExactly(
                    "services.backend.x-ailtire.stack: refused: file reference \"" + reference + "\" in a definition "
                            + "received over the network (send the child's YAML inline; the CLI does this for files)");
        }
    }

    @Test
    void aChildDefinitionMustBeTextOrAMapping() {
        assertThat(problems("services: {backend: {x-ailtire: {stack: [a, b]}}}")).containsExactly(
                "services.backend.x-ailtire.stack: expected the child stack's definition (a mapping or YAML text)");
    }

    @Test
    void anEmptyExtensionIsAnOrdinaryServiceWithoutRoutes() throws Exception {
        StackDefinition definition = load("""
                services:
                  a: {image: nginx, x-ailtire: }
                  b: {image: nginx, x-ailtire: {}}
                """);
        assertThat(definition.services().values()).extracting(ServiceDefinition::ailtire)
                .containsExactly(AiltireExtension.NONE, AiltireExtension.NONE);
    }

    @Test
    void anOrdinaryServiceOptsInToAutoRedeployWithAComposeDurationBesideItsRoutes() throws Exception {
        StackDefinition definition = new DefinitionLoader(null).load("""
                services:
                  web:
                    image: registry.example.com/shop/web:stable
                    x-ailtire: {auto_redeploy: 5m, routes: [{path: /, port: 80}]}
                  worker:
                    image: busybox:1.36
                    x-ailtire: {auto_redeploy: "${EVERY}"}
                  plain:
                    image: busybox:1.36
                    x-ailtire: {routes: [{path: /plain, port: 80}]}
                """, Map.of("EVERY", "1h30m")).definition();
        assertThat(definition.services().get("web").ailtire()).isEqualTo(AiltireExtension.autoRedeployed(
                List.of(new RouteDeclaration("/", 80, "/", Protocol.HTTP)), Duration.ofMinutes(5)));
        assertThat(definition.services().get("worker").ailtire().autoRedeploy())
                .as("interpolated like any field").contains(Duration.ofMinutes(90));
        assertThat(definition.services().get("plain").ailtire().autoRedeploy()).isEmpty();
        assertThat(definition.services().get("web").extensions()).isEmpty();
    }

    @Test
    void aBadAutoRedeployIsNamedByItsPath() {
        assertThat(problems("""
                services:
                  a: {image: nginx, x-ailtire: {auto_redeploy: soon}}
                  b: {image: nginx, x-ailtire: {auto_redeploy: 10s}}
                  c: {image: nginx, x-ailtire: {auto_redeploy: 300}}
                  d: {image: nginx, x-ailtire: {auto_redeploy: [5m]}}
                  e: {image: "nginx:1.27@sha256:0123456789abcdef", x-ailtire: {auto_redeploy: 5m}}
                  f: {x-ailtire: {stack: "services: {api: {image: nginx}}", auto_redeploy: 5m}}
                  g: {image: "ailtire/sidecar:1", x-ailtire: {compatibility: original, auto_redeploy: 5m}}
                """)).containsExactlyInAnyOrder(
                "services.a.x-ailtire.auto_redeploy: expected a duration such as \"10s\", \"1m30s\" or \"500ms\","
                        + " got \"soon\"",
                "services.b.x-ailtire.auto_redeploy: expected at least 30s, got \"10s\": a shorter interval would"
                        + " ask the registry too often",
                "services.c.x-ailtire.auto_redeploy: a duration needs a unit, e.g. \"300s\" (units: ns, us, ms, s,"
                        + " m, h)",
                "services.d.x-ailtire.auto_redeploy: expected a duration such as \"5m\" or \"1h\" (how often the"
                        + " tag is asked of its registry), got a list",
                "services.e.x-ailtire.auto_redeploy: image nginx:1.27@sha256:0123456789abcdef is pinned to a digest"
                        + " in the definition: nothing can move (name the tag to follow, without its digest)",
                "services.f.x-ailtire.auto_redeploy: a child stack's services opt in in its own definition",
                "services.g.x-ailtire.auto_redeploy: a child stack's services opt in in its own definition");
    }

    @Test
    void thirtySecondsIsTheShortestAutoRedeploy() throws Exception {
        assertThat(load("services: {a: {image: nginx, x-ailtire: {auto_redeploy: 30s}}}").services().get("a")
                .ailtire().autoRedeploy()).contains(Duration.ofSeconds(30));
        assertThat(problems("services: {a: {image: nginx, x-ailtire: {auto_redeploy: 29.9s}}}"))
                .singleElement().asString().startsWith("services.a.x-ailtire.auto_redeploy: expected at least 30s");
    }
}
