package org.ailtire.swarm.topology;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.model.NetworkAttachmentConfig;
import org.ailtire.definition.DefinitionException;
import org.ailtire.stack.StackToken;
import org.ailtire.definition.DefinitionLoader;
import org.ailtire.definition.NetworkDefinition;
import org.ailtire.definition.Problem;
import org.ailtire.definition.SecretDefinition;
import org.ailtire.definition.ServiceDefinition;
import org.ailtire.definition.ServiceDefinition.FileReference;
import org.ailtire.definition.ServiceDefinition.ServiceNetwork;
import org.ailtire.definition.ServiceDefinition.VolumeMount;
import org.ailtire.definition.StackDefinition;
import org.ailtire.swarm.Labels;
import org.ailtire.swarm.convert.Conversion;
import org.ailtire.swarm.convert.ConvertOptions;
import org.ailtire.swarm.convert.NetworkingDefaults;
import org.ailtire.swarm.convert.ServiceResource;
import org.ailtire.swarm.convert.StackConverter;
import org.ailtire.policy.DefinitionPolicy;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

class TopologyTest {
    private static final ControllerSettings SETTINGS = new ControllerSettings("ailtire/controller:test", 8081, 8080,
            "shop-root_token", "dnsrr", "/var/run/docker.sock", org.ailtire.stack.ImageResolution.ALWAYS);
    private static final StackPlace SHOP = StackPlace.root("shop").child("shop");
    private static final String CHILD = """
            services:
              db:
                image: busybox
                networks: [data]
              cache:
                x-ailtire:
                  stack: "services: {redis: {image: busybox}}"
            networks:
              data:
                internal: true
            """;

    /** The top definition: one child stack, shop, defined inline as {@link #CHILD}. */
    private static final String ROOT = """
            services:
              shop:
                x-ailtire:
                  stack: |
            %s""".formatted(CHILD.indent(8));

    private static final StackToken TOKEN = StackToken.of("a-token-of-the-tree-0123456789");

    private final Topology topology = new Topology(SETTINGS, TOKEN);

    @Test
    void withTlsTheTopControllerAloneGetsTheCertificateAsASecretAndItsPorts() throws Exception {
        StackPlace root = StackPlace.root("shop");
        StackDefinition rootDefinition = load(ROOT);
        byte[] pem = "-----BEGIN CERTIFICATE-----...".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        Topology tls = topology.withTopTls(new TopTls(pem, 8443, true));

        ServiceDefinition top = tls.expand(root, rootDefinition).definition().services().get("shop");

        assertThat(top.secrets()).contains(new FileReference("ailtire-tls", "/run/secrets/ailtire_tls", null, null, 0400));
        assertThat(tls.expand(root, rootDefinition).definition().secrets().get("ailtire-tls").content().data()).isEqualTo(pem);
        assertThat(top.environment()).contains(entry("AILTIRE_TLS_FILE", "/run/secrets/ailtire_tls"),
                entry("AILTIRE_TLS_PUBLIC_PORT", "8443"), entry("AILTIRE_HTTPS_REDIRECT_PORT", "8082"));
        ServiceDefinition child = tls.expand(SHOP, load(CHILD)).definition().services().get("cache");
        assertThat(child.environment()).as("children never do TLS").doesNotContainKey("AILTIRE_TLS_FILE");
        assertThat(child.secrets()).extracting(FileReference::source).doesNotContain("ailtire-tls");
        assertThat(topology.expand(root, rootDefinition).definition().services().get("shop").environment())
                .doesNotContainKey("AILTIRE_TLS_FILE");
    }

    @Test
    void theTopCanKeepTheCertificateSecretItMountsAndCarriesHsts() throws Exception {
        StackPlace root = StackPlace.root("shop");
        StackDefinition rootDefinition = load(ROOT);
        byte[] pem = "-----BEGIN CERTIFICATE-----...".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        Topology kept = topology.withTopTls(new TopTls(pem, 443, false, java.util.Optional.of(600L), true,
                java.util.Optional.of("shop-root_ailtire-tls-0123abcd")));

        StackDefinition expanded = kept.expand(root, rootDefinition).definition();

        var secret = expanded.secrets().get("ailtire-tls").content();
        assertThat(secret.external()).as("the mounted secret, not a new one").isTrue();
        assertThat(secret.name()).isEqualTo("shop-root_ailtire-tls-0123abcd");
        assertThat(expanded.services().get("shop").secrets())
                .contains(new FileReference("ailtire-tls", "/run/secrets/ailtire_tls", null, null, 0400));
        assertThat(expanded.services().get("shop").environment()).contains(entry("AILTIRE_HSTS_MAX_AGE", "600"),
                entry("AILTIRE_HSTS_INCLUDE_SUBDOMAINS", "true"));
        assertThat(topology.withTopTls(new TopTls(pem, 443, false)).expand(root, rootDefinition).definition()
                .services().get("shop").environment()).doesNotContainKeys("AILTIRE_HSTS_MAX_AGE",
                "AILTIRE_HSTS_INCLUDE_SUBDOMAINS");
    }

    @Test
    void theTopStackGetsTheTreesTokenAndEachStackBelowItsOwnDerivedOne() throws Exception {
        StackPlace root = StackPlace.root("shop");
        StackDefinition rootDefinition = load(ROOT);
        StackDefinition atRoot = topology.expand(root, rootDefinition).definition();
        assertThat(atRoot.secrets()).as("the secret deploy made, mounted as it is")
                .containsEntry("ailtire-token", new SecretDefinition(null, true, "shop-root_token", Map.of()));
        assertThat(atRoot.services().get("shop").secrets()).contains(
                new FileReference("ailtire-token", "/run/secrets/ailtire_token", null, null, 0400));

        StackDefinition atTop = topology.expand(SHOP, load(CHILD)).definition();
        assertThat(atTop.secrets()).doesNotContainKey("ailtire-token").containsKey("ailtire-cache-token");
        assertThat(new String(atTop.secrets().get("ailtire-cache-token").content().data(), StandardCharsets.UTF_8))
                .isEqualTo(TOKEN.child("cache").value()).isNotEqualTo(TOKEN.value());
        assertThatThrownBy(() -> new Topology(SETTINGS).expand(SHOP, load(CHILD)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("token");
    }

    @Test
    void childStackServiceBecomesAControllerWithConfigsTokenSocketAndItsNetworks() throws Exception {
        StackDefinition parent = load("""
                services:
                  web:
                    image: busybox
                  backend:
                    environment:
                      REGION: eu
                    deploy:
                      labels:
                        team: core
                    x-ailtire:
                      stack: |
                %s""".formatted(CHILD.indent(8)));

        Topology.Expanded expanded = topology.expand(SHOP, parent);

        ServiceDefinition controller = expanded.definition().services().get("backend");
        assertThat(controller.image()).isEqualTo("ailtire/controller:test");
        assertThat(controller.command()).containsExactly("serve");
        assertThat(controller.environment()).containsExactlyInAnyOrderEntriesOf(Map.ofEntries(
                entry("AILTIRE_APPNAME", "shop"),
                entry("AILTIRE_STACKNAME", "backend"),
                entry("AILTIRE_SERVICENAME", "backend"),
                entry("AILTIRE_STACK_PATH", "/shop/backend"),
                entry("AILTIRE_NAMESPACE", "shop-backend"),
                entry("AILTIRE_CONTROLLER_SERVICE", "shop_backend"),
                entry("AILTIRE_STACKADMINPORT", "8081"),
                entry("AILTIRE_STACKGATEWAYPORT", "8080"),
                entry("AILTIRE_PARENTHOST", "ailtire-parent-of-backend"),
                entry("AILTIRE_PARENTPORT", "8081"),
                entry("AILTIRE_PARENT_NETWORK", "shop-backend_parent"),
                entry("AILTIRE_CONTROLLER_IMAGE", "ailtire/controller:test"),
                entry("AILTIRE_TOKEN_SECRET", "shop-root_token"),
                entry("AILTIRE_ENDPOINT_MODE", "dnsrr"),
                entry("AILTIRE_POLICY", "{\"allow_bind\":[],\"allow_docker_socket\":false,"
                        + "\"allow_host_network\":false,\"allow_cap\":[],\"allow_secret\":[]}"),
                entry("AILTIRE_DEFINITION_FILE", "/run/ailtire/definition.yml"),
                entry("AILTIRE_ENVIRONMENT_FILE", "/run/secrets/ailtire_environment"),
                entry("AILTIRE_TOKEN_FILE", "/run/secrets/ailtire_token")));
        assertThat(controller.volumes()).containsExactly(
                new VolumeMount(VolumeMount.Type.BIND, "/var/run/docker.sock", "/var/run/docker.sock", false));
        assertThat(controller.labels()).containsExactly(entry(Labels.KIND, Labels.KIND_STACK));
        assertThat(controller.deploy().labels()).containsExactly(entry("team", "core"), entry(Labels.KIND, Labels.KIND_STACK));
        assertThat(controller.deploy().endpointMode()).isEqualTo(ServiceDefinition.EndpointMode.DNSRR);
        assertThat(controller.deploy().replicas()).isEqualTo(1);

        assertThat(controller.configs()).containsExactly(
                new FileReference("ailtire-backend-definition", "/run/ailtire/definition.yml", null, null, 0444));
        assertThat(text(expanded, "ailtire-backend-definition")).isEqualTo(CHILD);
        assertThat(expanded.definition().configs()).as("the variables are in no config")
                .doesNotContainKey("ailtire-backend-environment");
        assertThat(controller.secrets()).containsExactly(
                new FileReference("ailtire-backend-token", "/run/secrets/ailtire_token", null, null, 0400),
                new FileReference("ailtire-backend-environment", "/run/secrets/ailtire_environment", null, null, 0400));
        assertThat(expanded.definition().secrets()).as("the child's own token, not the tree's")
                .containsOnlyKeys("ailtire-backend-token", "ailtire-backend-environment");
        assertThat(new String(expanded.definition().secrets().get("ailtire-backend-token").content().data(),
                StandardCharsets.UTF_8))
                .isEqualTo(TOKEN.child("backend").value());
        assertThat(new ObjectMapper().readValue(expanded.definition().secrets().get("ailtire-backend-environment").content()
                .data(), Map.class)).isEqualTo(Map.of("REGION", "eu"));

        assertThat(controller.networks()).containsExactly(
                entry("ailtire-backend-parent", new ServiceNetwork(List.of("backend"))),
                entry("ailtire-backend-net-data", ServiceNetwork.PLAIN),
                entry("ailtire-backend-child-cache", new ServiceNetwork(List.of("ailtire-parent-of-cache"))));
        Map<String, NetworkDefinition> networks = expanded.definition().networks();
        assertThat(networks.get("ailtire-backend-parent").name()).isEqualTo("shop-backend_parent");
        assertThat(networks.get("ailtire-backend-net-data").name()).isEqualTo("shop-backend_data");
        assertThat(networks.get("ailtire-backend-net-data").internal()).isTrue();
        assertThat(networks.get("ailtire-backend-child-cache").name()).isEqualTo("shop-backend-cache_parent");
        assertThat(networks.values()).allMatch(n -> !n.external());

        assertThat(expanded.definition().services().get("web")).isEqualTo(parent.services().get("web"));
        assertThat(networks).containsKey("default");

        assertThat(expanded.children()).singleElement().satisfies(child -> {
            assertThat(child.key()).isEqualTo("backend");
            assertThat(child.place()).isEqualTo(SHOP.child("backend"));
            assertThat(child.definition()).isEqualTo(CHILD);
            assertThat(child.environment()).isEqualTo(Map.of("REGION", "eu"));
            assertThat(child.loaded().services()).containsOnlyKeys("db", "cache");
        });
    }

    @Test
    void anOriginalChildRunsItsOwnImageTheOriginalsWayOnItsLinkAndFamilyNetworks() throws Exception {
        StackDefinition parent = load("""
                services:
                  legacy:
                    image: ailtire/sidecar:1
                    environment: {REGION: eu}
                    configs: [{source: compose, target: /app/docker-compose.yml}]
                    x-ailtire: {compatibility: original}
                configs:
                  compose: {content: "services: {}"}
                """);

        Topology.Expanded expanded = topology.expand(SHOP, parent);

        assertThat(expanded.children()).as("none of ours").isEmpty();
        ServiceDefinition legacy = expanded.definition().services().get("legacy");
        assertThat(legacy.image()).isEqualTo("ailtire/sidecar:1");
        assertThat(legacy.command()).as("its image's own").isNull();
        assertThat(legacy.environment()).containsExactlyInAnyOrderEntriesOf(Map.ofEntries(
                entry("REGION", "eu"),
                entry("AILTIRE_APPNAME", "shop"),
                entry("AILTIRE_STACKNAME", "{{.Service.Name}}-{{.Task.Slot}}"),
                entry("AILTIRE_SERVICENAME", "legacy"),
                entry("AILTIRE_PARENTHOST", "ailtire-parent-of-legacy"),
                entry("AILTIRE_PARENTPORT", "8081"),
                entry("AILTIRE_STACKADMINPORT", "3000"),
                entry("AILTIRE_PARENT_NETWORK", "shop_shop_legacy_family")));
        assertThat(legacy.environment()).doesNotContainKeys("AILTIRE_TOKEN_FILE", "AILTIRE_TOKEN_SECRET");
        assertThat(legacy.secrets()).as("no token for an original child").isEmpty();
        assertThat(legacy.configs()).containsExactly(
                new FileReference("compose", "/app/docker-compose.yml", null, null, null));
        assertThat(legacy.volumes()).containsExactly(
                new VolumeMount(VolumeMount.Type.BIND, "/var/run/docker.sock", "/var/run/docker.sock", false));
        assertThat(legacy.stopSignal()).isEqualTo("SIGINT");
        assertThat(legacy.stopGracePeriod()).isEqualTo(java.time.Duration.ofMinutes(1));
        assertThat(legacy.deploy().endpointMode()).isEqualTo(ServiceDefinition.EndpointMode.DNSRR);
        assertThat(legacy.deploy().replicas()).isEqualTo(1);
        assertThat(legacy.deploy().placement().constraints()).containsExactly("node.role==manager");
        assertThat(legacy.deploy().restartPolicy().condition()).as("after its shutdown it exits and stays down")
                .isEqualTo(ServiceDefinition.RestartPolicy.Condition.ON_FAILURE);
        assertThat(legacy.deploy().labels()).containsExactly(entry(Labels.KIND, Labels.KIND_STACK),
                entry(Labels.COMPATIBILITY, Labels.COMPATIBILITY_ORIGINAL));
        assertThat(legacy.networks()).containsExactly(
                entry("ailtire-legacy-parent", new ServiceNetwork(List.of("legacy"))),
                entry("ailtire-legacy-family", ServiceNetwork.PLAIN));
        NetworkDefinition link = expanded.definition().networks().get("ailtire-legacy-parent");
        assertThat(link.name()).isEqualTo("shop-legacy_parent");
        NetworkDefinition family = expanded.definition().networks().get("ailtire-legacy-family");
        assertThat(family.name()).isEqualTo("shop_shop_legacy_family");
        assertThat(family.attachable()).as("the original's stack joins it").isTrue();
        assertThat(family.external()).as("this stack's own: it removes it").isFalse();
        assertThat(expanded.definition().networks()).doesNotContainKey("default");
    }

    @Test
    void aChildsControllerJoinsTheLinkNetworkOfItsOriginalChild() throws Exception {
        StackDefinition parent = load("""
                services:
                  backend:
                    x-ailtire:
                      stack: "services: {legacy: {image: ailtire/sidecar:1, x-ailtire: {compatibility: original}}}"
                """);
        ControllerSettings socketAllowed = new ControllerSettings("ailtire/controller:test", 8081, 8080,
                "shop-root_token", "dnsrr", "/var/run/docker.sock", org.ailtire.stack.ImageResolution.ALWAYS,
                org.ailtire.swarm.drift.DriftMode.REPAIR,
                new DefinitionPolicy(List.of(), true, false, List.of(), List.of()));
        ServiceDefinition controller = new Topology(socketAllowed, TOKEN)
                .expand(SHOP, parent).definition().services().get("backend");
        assertThat(controller.networks()).containsEntry("ailtire-backend-child-legacy",
                new ServiceNetwork(List.of("ailtire-parent-of-legacy")));
    }

    @Test
    void childOwnNetworkWithAnExplicitNameKeepsItAndExternalOnesAreNotJoined() throws Exception {
        StackDefinition parent = load("""
                services:
                  backend:
                    x-ailtire:
                      stack:
                        services:
                          db:
                            image: busybox
                            networks: [data, outside]
                        networks:
                          data:
                            name: custom-data
                          outside:
                            external: true
                            name: somewhere
                """);

        ServiceDefinition controller = topology.expand(SHOP, parent).definition().services().get("backend");

        assertThat(controller.networks()).containsOnlyKeys("ailtire-backend-parent", "ailtire-backend-net-data");
        assertThat(topology.expand(SHOP, parent).definition().networks().get("ailtire-backend-net-data").name())
                .isEqualTo("custom-data");
    }

    @Test
    void controllerJoinsTheChildsDefaultNetworkWhenAnOrdinaryChildServiceUsesIt() throws Exception {
        StackDefinition parent = load("""
                services:
                  backend:
                    image: my/controller:1
                    x-ailtire:
                      stack: "services: {db: {image: busybox}}"
                """);

        Topology.Expanded expanded = topology.expand(SHOP, parent);

        ServiceDefinition controller = expanded.definition().services().get("backend");
        assertThat(controller.image()).isEqualTo("my/controller:1");
        assertThat(controller.networks()).containsOnlyKeys("ailtire-backend-parent", "ailtire-backend-net-default");
        assertThat(expanded.definition().networks().get("ailtire-backend-net-default").name())
                .isEqualTo("shop-backend_default");
    }

    @Test
    void controllersRunOnManagersWithinTheChildsOwnConstraints() throws Exception {
        StackDefinition parent = load("""
                services:
                  backend:
                    deploy:
                      placement:
                        constraints: [node.hostname != manager-1, node.role == manager]
                        preferences: [{spread: node.labels.zone}]
                    x-ailtire:
                      stack: "services: {db: {image: busybox}}"
                  plain:
                    x-ailtire:
                      stack: "services: {db: {image: busybox}}"
                """);

        var services = topology.expand(SHOP, parent).definition().services();

        assertThat(services.get("backend").deploy().placement().constraints())
                .containsExactly("node.role==manager", "node.hostname != manager-1");
        assertThat(services.get("backend").deploy().placement().preferences()).containsExactly("node.labels.zone");
        assertThat(services.get("plain").deploy().placement().constraints()).containsExactly("node.role==manager");
    }

    @Test
    void childrenInheritTheConsolesFrameAncestors() throws Exception {
        StackDefinition parent = load("""
                services:
                  backend:
                    x-ailtire:
                      stack: "services: {db: {image: busybox}}"
                """);
        Topology portal = new Topology(new ControllerSettings("ailtire/controller:test", 8081, 8080, "shop-root_token",
                "dnsrr", "/var/run/docker.sock", org.ailtire.stack.ImageResolution.ALWAYS,
                org.ailtire.swarm.drift.DriftMode.REPAIR, org.ailtire.policy.DefinitionPolicy.DENY,
                "'self' https://portal.example.com"), TOKEN);

        assertThat(portal.expand(SHOP, parent).definition().services().get("backend").environment())
                .containsEntry("AILTIRE_CONSOLE_FRAME_ANCESTORS", "'self' https://portal.example.com");
        assertThat(topology.expand(SHOP, parent).definition().services().get("backend").environment())
                .as("'self' is the default: not written").doesNotContainKey("AILTIRE_CONSOLE_FRAME_ANCESTORS");
        assertThatThrownBy(() -> new ControllerSettings("i", 8081, 8080, "t", "dnsrr", "/s",
                org.ailtire.stack.ImageResolution.ALWAYS, org.ailtire.swarm.drift.DriftMode.REPAIR,
                org.ailtire.policy.DefinitionPolicy.DENY, "* ; script-src *"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void childrenInheritTheMetricsTokensHashOnly() throws Exception {
        StackDefinition parent = load("""
                services:
                  backend:
                    x-ailtire:
                      stack: "services: {db: {image: busybox}}"
                """);
        String hash = org.ailtire.metrics.MetricsToken.hashOf("prometheus-scrape-token");
        Topology scraped = new Topology(new ControllerSettings("ailtire/controller:test", 8081, 8080, "shop-root_token",
                "dnsrr", "/var/run/docker.sock", org.ailtire.stack.ImageResolution.ALWAYS,
                org.ailtire.swarm.drift.DriftMode.REPAIR, org.ailtire.policy.DefinitionPolicy.DENY, "'self'", false)
                .withMetricsTokenHash(hash), TOKEN);

        var environment = scraped.expand(SHOP, parent).definition().services().get("backend").environment();
        assertThat(environment).containsEntry("AILTIRE_METRICS_TOKEN_SHA256", hash);
        assertThat(environment.values()).noneMatch(value -> value.contains("prometheus-scrape-token"));
        assertThat(topology.expand(SHOP, parent).definition().services().get("backend").environment())
                .as("none: not written").doesNotContainKey("AILTIRE_METRICS_TOKEN_SHA256");
    }

    @Test
    void encryptedControlNetworksMakeEveryLinkNetworkEncryptedAndTheChildrenGetTheSetting() throws Exception {
        StackDefinition parent = load("""
                services:
                  web: {image: busybox}
                  backend:
                    x-ailtire:
                      stack: "services: {db: {image: busybox}, orders: {x-ailtire: {stack: 'services: {q: {image: busybox}}'}}}"
                networks:
                  mine: {driver_opts: {com.example.opt: x}}
                """);
        Topology encrypting = new Topology(new ControllerSettings("ailtire/controller:test", 8081, 8080,
                "shop-root_token", "dnsrr", "/var/run/docker.sock", org.ailtire.stack.ImageResolution.ALWAYS,
                org.ailtire.swarm.drift.DriftMode.REPAIR, org.ailtire.policy.DefinitionPolicy.DENY, "'self'", true), TOKEN);

        var encrypted = encrypting.expand(SHOP, parent).definition();
        var links = encrypted.networks().values().stream()
                .filter(n -> "stack-link".equals(n.labels().get(org.ailtire.swarm.Labels.KIND))).toList();
        assertThat(links).as("the child's parent network and its grandchild's").hasSize(2)
                .allSatisfy(n -> assertThat(n.driverOpts()).containsExactly(java.util.Map.entry("encrypted", "")));
        assertThat(encrypted.networks().values()).filteredOn(n -> !links.contains(n))
                .as("the definition's own networks keep their options").allSatisfy(n ->
                        assertThat(n.driverOpts()).doesNotContainKey("encrypted"));
        assertThat(encrypted.services().get("backend").environment())
                .containsEntry("AILTIRE_ENCRYPT_CONTROL_NETWORKS", "true");

        var plain = topology.expand(SHOP, parent).definition();
        assertThat(plain.networks().values()).allSatisfy(n -> assertThat(n.driverOpts()).doesNotContainKey("encrypted"));
        assertThat(plain.services().get("backend").environment()).as("plain is the default: not written")
                .doesNotContainKey("AILTIRE_ENCRYPT_CONTROL_NETWORKS");
    }

    @Test
    void childrenInheritTheTreesDriftMode() throws Exception {
        StackDefinition parent = load("""
                services:
                  backend:
                    x-ailtire:
                      stack: "services: {db: {image: busybox}}"
                """);
        Topology report = new Topology(new ControllerSettings("ailtire/controller:test", 8081, 8080, "shop-root_token",
                "dnsrr", "/var/run/docker.sock", org.ailtire.stack.ImageResolution.ALWAYS,
                org.ailtire.swarm.drift.DriftMode.REPORT), TOKEN);

        assertThat(report.expand(SHOP, parent).definition().services().get("backend").environment())
                .containsEntry("AILTIRE_DRIFT", "report");
        assertThat(topology.expand(SHOP, parent).definition().services().get("backend").environment())
                .as("repair is the default: not written").doesNotContainKey("AILTIRE_DRIFT");
    }

    @Test
    void childrenInheritTheTreesImageResolutionNotAnUpdatesOwn() throws Exception {
        StackDefinition parent = load("""
                services:
                  backend:
                    x-ailtire:
                      stack: "services: {db: {image: busybox}}"
                """);
        Topology never = new Topology(new ControllerSettings("ailtire/controller:test", 8081, 8080, "shop-root_token",
                "dnsrr", "/var/run/docker.sock", org.ailtire.stack.ImageResolution.NEVER), TOKEN);

        assertThat(never.expand(SHOP, parent).definition().services().get("backend").environment())
                .containsEntry("AILTIRE_RESOLVE_IMAGE", "never");
        assertThat(topology.expand(SHOP, parent).definition().services().get("backend").environment())
                .doesNotContainKey("AILTIRE_RESOLVE_IMAGE");
    }

    @Test
    void mappingFormIsHandedToTheChildAsYamlText() throws Exception {
        StackDefinition parent = load("""
                services:
                  backend:
                    x-ailtire:
                      stack:
                        services:
                          db:
                            image: busybox
                """);

        Topology.Expanded expanded = topology.expand(SHOP, parent);

        String definition = text(expanded, "ailtire-backend-definition");
        assertThat(definition).isEqualTo(expanded.children().getFirst().definition());
        assertThat(load(definition).services().get("db").image()).isEqualTo("busybox");
    }

    @Test
    void defaultNetworkIsDroppedWhenOnlyTheChildStackServiceUsedIt() throws Exception {
        StackDefinition parent = load("""
                services:
                  web:
                    image: busybox
                    networks: [front]
                  backend:
                    x-ailtire:
                      stack: "services: {db: {image: busybox}}"
                networks:
                  front: {}
                """);
        assertThat(parent.networks()).containsKey("default");

        Topology.Expanded expanded = topology.expand(SHOP, parent);

        assertThat(expanded.definition().networks()).doesNotContainKey("default").containsKey("front");
    }

    @Test
    void definitionWithoutChildStacksIsUnchanged() throws Exception {
        StackDefinition parent = load("services: {web: {image: busybox}}");

        Topology.Expanded expanded = topology.expand(SHOP, parent);

        assertThat(expanded.definition()).isEqualTo(parent);
        assertThat(expanded.children()).isEmpty();
    }

    @Test
    void topControllerRunsUnderTheRootWithoutAParentHost() throws Exception {
        StackDefinition root = load("""
                services:
                  shop:
                    x-ailtire:
                      stack: "services: {web: {image: busybox}}"
                """);

        ServiceDefinition controller = topology.expand(StackPlace.root("shop"), root).definition().services().get("shop");

        assertThat(controller.environment()).doesNotContainKeys("AILTIRE_PARENTHOST", "AILTIRE_PARENTPORT")
                .contains(entry("AILTIRE_NAMESPACE", "shop"), entry("AILTIRE_CONTROLLER_SERVICE", "shop-root_shop"),
                        entry("AILTIRE_PARENT_NETWORK", "shop_parent"), entry("AILTIRE_STACK_PATH", "/shop"));
    }

    @Test
    void extensionWithoutStackIsAnOrdinaryService() throws Exception {
        StackDefinition routed = load("""
                services:
                  web:
                    image: busybox
                    x-ailtire:
                      routes: [{path: /, port: 80}]
                """);
        assertThat(new Topology(SETTINGS).children(StackPlace.root("shop").child("shop"), routed)).isEmpty();
    }

    @Test
    void childDefinitionErrorIsReportedBelowTheStackField() throws Exception {
        StackDefinition parent = load("""
                services:
                  backend:
                    x-ailtire:
                      stack: "services: {db: {image: busybox, deploy: {replicas: three}}}"
                """);

        assertThat(problems(parent)).extracting(Problem::path)
                .containsExactly("services.backend.x-ailtire.stack.services.db.deploy.replicas");
    }

    @Test
    void grandchildDefinitionErrorIsReportedTwoLevelsDown() throws Exception {
        StackDefinition parent = load("""
                services:
                  backend:
                    x-ailtire:
                      stack:
                        services:
                          cache:
                            x-ailtire:
                              stack: "services: {redis: {image: busybox, deploy: {replicas: three}}}"
                """);

        assertThat(problems(parent)).extracting(Problem::path).containsExactly(
                "services.backend.x-ailtire.stack.services.cache.x-ailtire.stack.services.redis.deploy.replicas");
    }

    @Test
    void expandedDefinitionConvertsAndTheControllerJoinsTheEngineNetworks() throws Exception {
        StackDefinition parent = load("""
                services:
                  web:
                    image: busybox
                  backend:
                    environment:
                      REGION: eu
                    x-ailtire:
                      stack: |
                %s""".formatted(CHILD.indent(8)));

        Conversion conversion = new StackConverter(new ConvertOptions(SHOP.path(),
                new NetworkingDefaults(NetworkingDefaults.EndpointModeSetting.DNSRR, false)))
                .convert(SHOP.namespace(), topology.expand(SHOP, parent).definition());

        ServiceResource controller = conversion.resources().services().stream()
                .filter(s -> s.key().equals("backend")).findFirst().orElseThrow();
        assertThat(controller.name()).isEqualTo("shop_backend");
        assertThat(controller.spec().getTaskTemplate().getNetworks())
                .extracting(NetworkAttachmentConfig::getTarget)
                .containsExactlyInAnyOrder("shop-backend_parent", "shop-backend_data", "shop-backend-cache_parent");
        assertThat(controller.spec().getTaskTemplate().getNetworks())
                .allSatisfy(network -> assertThat(network.getAliases()).contains("backend"));
        assertThat(conversion.resources().networks()).extracting(n -> n.name()).contains(
                "shop-backend_parent", "shop-backend_data", "shop-backend-cache_parent", "shop_default");
        assertThat(controller.spec().getLabels()).containsEntry(Labels.KIND, Labels.KIND_STACK);
    }

    @Test
    void aChildGetsTheCredentialsOfItsTreeAsASecretAndNoSpecShowsThem() throws Exception {
        StackDefinition parent = load("""
                services:
                  web: {image: "127.0.0.1:5000/web:1"}
                  backend:
                    x-ailtire:
                      stack: "services: {db: {image: 'registry.example.com/db:2'}}"
                """);
        var auth = new org.ailtire.stack.RegistryAuth(Map.of(
                "127.0.0.1:5000", new org.ailtire.stack.RegistryCredential("alice", "web-pw-123"),
                "registry.example.com", new org.ailtire.stack.RegistryCredential("bob", "db-pw-456")));
        Topology withFile = topology;
        StackDefinition expanded = withFile.expand(SHOP, parent, auth)
                .definition();
        SecretDefinition secret = expanded.secrets().get("ailtire-backend-registry-auth");
        RegistryAuthFile.Content content = RegistryAuthFile.read(secret.content().data());
        assertThat(content.auth().registries()).as("only what the child's tree pulls")
                .containsOnlyKeys("registry.example.com");
        assertThat(content.fingerprint()).as("keyed with the child's token, which the child can derive")
                .isEqualTo(new RegistryAuthFile(TOKEN.child("backend").value()).fingerprint(content.auth()));
        assertThat(expanded.services().get("backend").environment())
                .containsEntry("AILTIRE_REGISTRY_AUTH_FILE", ControllerSettings.REGISTRY_AUTH_FILE);

        Conversion conversion = new StackConverter(new ConvertOptions(SHOP.path(), new NetworkingDefaults(NetworkingDefaults.EndpointModeSetting.DNSRR, false)))
                .convert(SHOP.namespace(), expanded);
        String visible = new ObjectMapper().writeValueAsString(conversion.resources().services().stream()
                .map(ServiceResource::spec).toList())
                + conversion.resources().configs().stream().map(c -> new String(c.data(), StandardCharsets.UTF_8)
                + c.labels() + c.name()).toList()
                + conversion.resources().secrets().stream().map(c -> c.labels() + c.name()).toList();
        assertThat(visible).doesNotContain("web-pw-123").doesNotContain("db-pw-456").doesNotContain("bob");

        var rotated = new org.ailtire.stack.RegistryAuth(Map.of(
                "registry.example.com", new org.ailtire.stack.RegistryCredential("bob", "db-pw-789")));
        String before = conversion.resources().secrets().stream().filter(x -> x.key().equals("ailtire-backend-registry-auth"))
                .findFirst().orElseThrow().name();
        String after = new StackConverter(new ConvertOptions(SHOP.path(), new NetworkingDefaults(NetworkingDefaults.EndpointModeSetting.DNSRR, false))).convert(SHOP.namespace(),
                withFile.expand(SHOP, parent, rotated).definition())
                .resources().secrets().stream().filter(x -> x.key().equals("ailtire-backend-registry-auth"))
                .findFirst().orElseThrow().name();
        assertThat(after).as("new credentials are a new secret, which rolls the child's controller").isNotEqualTo(before);
    }

    @Test
    void aChildGetsTheFilesOfItsTreeAsASecretOfItsOwn() throws Exception {
        StackDefinition parent = load("""
                services:
                  backend:
                    x-ailtire:
                      stack: |
                        services:
                          api: {image: busybox, secrets: [token]}
                          db: {x-ailtire: {stack: "services: {store: {image: busybox, env_file: store.env}}"}}
                        secrets:
                          token: {file: token.txt}
                """);
        var files = org.ailtire.definition.DefinitionFiles.of(Map.of(
                "backend", Map.of("token.txt", "child-secret-91".getBytes(StandardCharsets.UTF_8)),
                "backend/db", Map.of("store.env", "A=1\n".getBytes(StandardCharsets.UTF_8))));
        assertThatThrownBy(() -> topology.expand(SHOP, parent))
                .as("without its files the child's definition does not load")
                .hasMessageContaining("services.backend.x-ailtire.stack.secrets.token.file: refused: file reference");
        Topology withFiles = topology;
        Topology.Expanded expanded = withFiles.expand(SHOP, parent, org.ailtire.stack.RegistryAuth.NONE, files);
        assertThat(expanded.children().get(0).files()).isEqualTo(files.child("backend"));
        SecretDefinition secret = expanded.definition().secrets().get("ailtire-backend-files");
        DefinitionFilesFile.Content content = DefinitionFilesFile.read(secret.content().data());
        assertThat(content.files()).as("the child's own files at \"\", its children's below")
                .isEqualTo(files.child("backend"));
        assertThat(content.fingerprint()).as("keyed with the child's token")
                .isEqualTo(new DefinitionFilesFile(TOKEN.child("backend").value()).fingerprint(content.files()));
        ServiceDefinition controller = expanded.definition().services().get("backend");
        assertThat(controller.environment()).containsEntry("AILTIRE_FILES_FILE", ControllerSettings.FILES_FILE)
                .doesNotContainKey("AILTIRE_REGISTRY_AUTH_FILE");
        assertThat(controller.secrets()).extracting(ServiceDefinition.FileReference::target)
                .contains(ControllerSettings.FILES_FILE);

        Conversion conversion = new StackConverter(new ConvertOptions(SHOP.path(), new NetworkingDefaults(NetworkingDefaults.EndpointModeSetting.DNSRR, false)))
                .convert(SHOP.namespace(), expanded.definition());
        String visible = new ObjectMapper().writeValueAsString(conversion.resources().services().stream()
                .map(ServiceResource::spec).toList())
                + conversion.resources().configs().stream().map(c -> new String(c.data(), StandardCharsets.UTF_8)
                + c.labels() + c.name()).toList()
                + conversion.resources().secrets().stream().map(c -> c.labels() + c.name()).toList();
        assertThat(visible).doesNotContain("child-secret-91")
                .doesNotContain(java.util.Base64.getEncoder().encodeToString("child-secret-91".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void withoutCredentialsAChildControllerIsAsBefore() throws Exception {
        StackDefinition expanded = topology.expand(SHOP, load("""
                services:
                  backend:
                    x-ailtire: {stack: "services: {db: {image: busybox}}"}
                """)).definition();
        assertThat(expanded.secrets()).containsOnlyKeys("ailtire-backend-token", "ailtire-backend-environment");
        assertThat(expanded.services().get("backend").environment()).doesNotContainKey("AILTIRE_REGISTRY_AUTH_FILE");
    }

    @Test
    void aChildsDefinitionIsCheckedAgainstThePolicyAtEveryDepth() throws Exception {
        List<Problem> problems = problems(load("""
                services:
                  backend:
                    x-ailtire:
                      stack: |
                        services:
                          web: {image: busybox, volumes: ["/srv/data:/data"]}
                """));
        assertThat(problems).extracting(Problem::path).containsExactly(
                "services.backend.x-ailtire.stack.services.web.volumes[0]");
        assertThat(problems.get(0).message()).contains("--allow-bind /srv/data");
        assertThat(problems(load("""
                services:
                  backend:
                    x-ailtire:
                      stack: |
                        services:
                          db:
                            x-ailtire: {stack: "services: {db: {image: busybox, cap_add: [SYS_ADMIN]}}"}
                """))).extracting(Problem::path).containsExactly(
                "services.backend.x-ailtire.stack.services.db.x-ailtire.stack.services.db.cap_add[0]");
    }

    @Test
    void eachChildControllerGetsThePolicyNarrowedByItsParentsDefinition() throws Exception {
        DefinitionPolicy wide = new DefinitionPolicy(List.of("/srv/data", "/srv/logs"), false, true,
                List.of("NET_ADMIN"), List.of());
        Topology allowing = new Topology(new ControllerSettings("ailtire/controller:test", 8081, 8080,
                "shop-root_token", "dnsrr", "/var/run/docker.sock", org.ailtire.stack.ImageResolution.ALWAYS,
                org.ailtire.swarm.drift.DriftMode.REPAIR, wide), TOKEN);
        StackDefinition parent = load("""
                x-ailtire-policy: {allow_bind: [/srv/data], allow_cap: [NET_ADMIN]}
                services:
                  backend:
                    x-ailtire:
                      stack: "services: {db: {image: busybox, volumes: ['/srv/data:/data'], cap_add: [NET_ADMIN]}}"
                """);
        ServiceDefinition controller = allowing.expand(SHOP, parent).definition().services().get("backend");
        assertThat(new ObjectMapper().readValue(controller.environment().get("AILTIRE_POLICY"), DefinitionPolicy.class))
                .isEqualTo(new DefinitionPolicy(List.of("/srv/data"), false, false, List.of("NET_ADMIN"), List.of()));

        StackDefinition narrower = load("""
                x-ailtire-policy: {allow_bind: [/srv/logs]}
                services:
                  backend:
                    x-ailtire:
                      stack: "services: {db: {image: busybox, volumes: ['/srv/data:/data']}}"
                """);
        assertThatThrownBy(() -> allowing.expand(SHOP, narrower)).isInstanceOf(DefinitionException.class)
                .hasMessageContaining("services.backend.x-ailtire.stack.services.db.volumes[0]: refused: bind mount");
    }

    private static StackDefinition load(String yaml) throws DefinitionException {
        return new DefinitionLoader(null).load(yaml, Map.of()).definition();
    }

    private List<Problem> problems(StackDefinition definition) {
        return assertThatThrownBy(() -> topology.expand(SHOP, definition)).isInstanceOf(DefinitionException.class)
                .actual() instanceof DefinitionException e ? e.problems() : List.of();
    }

    private static String text(Topology.Expanded expanded, String config) {
        return new String(expanded.definition().configs().get(config).data(), StandardCharsets.UTF_8);
    }
}
