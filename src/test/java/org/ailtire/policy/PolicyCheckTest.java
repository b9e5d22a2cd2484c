package org.ailtire.policy;

import org.ailtire.definition.DefinitionException;
import org.ailtire.definition.DefinitionLoader;
import org.ailtire.definition.Problem;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Each refusal of the default policy, the setting that allows it, and narrowing; definitions go through the loader. */
class PolicyCheckTest {
    private static final String TOKEN_SECRET = "shop-root_token";

    @Test
    void anOrdinaryDefinitionPassesTheDefaultPolicy() throws Exception {
        load(DefinitionPolicy.DENY, """
                services:
                  web:
                    image: nginx
                    volumes: [data:/data, {type: tmpfs, target: /tmp}]
                    cap_add: [NET_BIND_SERVICE, chown]
                    labels: {team: core}
                volumes:
                  data: {}
                  ram: {driver_opts: {type: tmpfs, device: tmpfs}}
                secrets:
                  key: {content: s3cret}
                """);
    }

    @Test
    void aBindMountIsRefusedUnlessItsExactHostPathIsAllowed() throws Exception {
        String definition = "services: {web: {image: nginx, volumes: [\"/srv/data/:/data:ro\"]}}";
        assertThat(refusals(DefinitionPolicy.DENY, definition)).containsExactly(
                "services.web.volumes[0]: refused: bind mount of the host path /srv/data; allowed by the tree's policy:"
                        + " deploy --allow-bind /srv/data (allow_bind in a policy file)");
        load(policy(List.of("/srv/data"), false, false, List.of(), List.of()), definition);
        assertThat(refusals(policy(List.of("/srv"), false, false, List.of(), List.of()), definition))
                .singleElement().asString().contains("--allow-bind /srv/data");
        assertThat(refusals(policy(List.of("/srv/data"), false, false, List.of(), List.of()),
                "services: {web: {image: nginx, volumes: [\"/srv/data/../../etc:/etc2\"]}}"))
                .singleElement().asString().contains("host path /etc;");
        // A path the file system would refuse is compared all the same (found by bench/fuzz: it threw).
        assertThat(refusals(DefinitionPolicy.DENY, "services: {web: {image: nginx, volumes: [\"/ var/run/\\0x:/x\"]}}"))
                .singleElement().asString().startsWith("services.web.volumes[0]: refused: bind mount of the host path");
    }

    @Test
    void theDockerSocketNeedsItsOwnSettingAlsoThroughAnAllowedAncestor() throws Exception {
        String socket = "services: {web: {image: nginx, volumes: [\"/var/run/docker.sock:/var/run/docker.sock\"]}}";
        assertThat(refusals(DefinitionPolicy.DENY, socket)).singleElement().asString()
                .contains("services.web.volumes[0]: refused: /var/run/docker.sock is the engine's socket")
                .contains("--allow-docker-socket");
        load(policy(List.of(), true, false, List.of(), List.of()), socket);

        String root = "services: {web: {image: nginx, volumes: [{type: bind, source: /, target: /host}]}}";
        assertThat(refusals(DefinitionPolicy.DENY, root)).singleElement().asString().contains("--allow-bind /");
        assertThat(refusals(policy(List.of("/"), false, false, List.of(), List.of()), root)).singleElement()
                .asString().contains("holds the engine's socket").contains("--allow-docker-socket");
        load(policy(List.of("/"), true, false, List.of(), List.of()), root);
    }

    @Test
    void theHostNetworkIsRefusedUnlessAllowed() throws Exception {
        String definition = """
                services: {web: {image: nginx, networks: [outside]}}
                networks:
                  outside: {external: true, name: host}
                """;
        assertThat(refusals(DefinitionPolicy.DENY, definition)).singleElement().asString()
                .startsWith("networks.outside: refused: the host network").contains("--allow-host-network");
        load(policy(List.of(), false, true, List.of(), List.of()), definition);
        assertThat(refusals(DefinitionPolicy.DENY, "services: {web: {image: nginx}}\nnetworks: {host: {external: true}}"))
                .singleElement().asString().startsWith("networks.host: refused");
        assertThat(refusals(DefinitionPolicy.DENY, "services: {web: {image: nginx}}\nnetworks: {mine: {driver: host}}"))
                .singleElement().asString().startsWith("networks.mine.driver: refused");
    }

    @Test
    void hostPidIpcPrivilegedDevicesAndNetworkModeAreRefusedWithNoSetting() {
        assertThat(refusals(policy(List.of("/"), true, true, List.of("ALL"), List.of()), """
                services:
                  web: {image: nginx, pid: host, ipc: host, network_mode: host, privileged: true, devices: ["/dev/sda:/dev/sda"]}
                """)).extracting(r -> r.substring(0, r.indexOf(':'))).containsExactly("services.web.pid",
                "services.web.ipc", "services.web.network_mode", "services.web.privileged", "services.web.devices");
        assertThat(refusals(DefinitionPolicy.DENY, "services: {web: {image: nginx, pid: host}}")).singleElement()
                .asString().contains("no setting allows it");
    }

    @Test
    void aLocalVolumeOnAHostPathOrDeviceIsAHostPath() throws Exception {
        String definition = """
                services: {web: {image: nginx, volumes: [root:/host]}}
                volumes:
                  root: {driver_opts: {type: none, o: bind, device: /}}
                """;
        assertThat(refusals(DefinitionPolicy.DENY, definition)).singleElement().asString()
                .startsWith("volumes.root.driver_opts.device: refused: local volume on the host path /;")
                .contains("--allow-bind /");
        assertThat(refusals(DefinitionPolicy.DENY, "services: {web: {image: nginx}}\n"
                + "volumes: {disk: {driver: local, driver_opts: {type: ext4, device: /dev/sdb1}}}"))
                .singleElement().asString().contains("--allow-bind /dev/sdb1");
        load(DefinitionPolicy.DENY, "services: {web: {image: nginx}}\n"
                + "volumes: {nfs: {driver_opts: {type: nfs, o: 'addr=10.0.0.1,ro', device: ':/export'}}}");
        load(policy(List.of("/srv/data"), false, false, List.of(), List.of()), "services: {web: {image: nginx}}\n"
                + "volumes: {data: {driver_opts: {type: none, o: bind, device: /srv/data}}}");
    }

    @Test
    void capabilitiesBeyondDockersDefaultSetAreRefusedUnlessAllowed() throws Exception {
        String definition = "services: {web: {image: nginx, cap_add: [CHOWN, net_admin, CAP_SYS_ADMIN, ALL]}}";
        assertThat(refusals(DefinitionPolicy.DENY, definition)).extracting(r -> r.substring(0, r.indexOf(':')))
                .containsExactly("services.web.cap_add[1]", "services.web.cap_add[2]", "services.web.cap_add[3]");
        assertThat(refusals(DefinitionPolicy.DENY, definition).get(0)).contains("--allow-cap NET_ADMIN");
        assertThat(refusals(policy(List.of(), false, false, List.of("CAP_NET_ADMIN", "sys_admin"), List.of()),
                definition)).singleElement().asString().startsWith("services.web.cap_add[3]").contains("--allow-cap ALL");
    }

    @Test
    void existingSecretsNeedTheirNameAllowedAndTheTokenIsNeverGiven() throws Exception {
        String external = "services: {web: {image: nginx, secrets: [db]}}\nsecrets: {db: {external: true, name: prod_db}}";
        assertThat(refusals(DefinitionPolicy.DENY, external)).singleElement().asString()
                .startsWith("secrets.db: refused: an existing secret").contains("--allow-secret prod_db");
        load(policy(List.of(), false, false, List.of(), List.of("prod_db")), external);

        String token = "services: {web: {image: nginx, secrets: [t]}}\nsecrets: {t: {external: true, name: " + TOKEN_SECRET + "}}";
        assertThat(refusals(policy(List.of(), false, false, List.of(), List.of(TOKEN_SECRET)), token)).singleElement()
                .asString().startsWith("secrets.t: refused: the secret \"shop-root_token\" is reserved")
                .contains("no setting allows it");
        assertThat(refusals(DefinitionPolicy.DENY, "services: {web: {image: nginx}}\n"
                + "secrets: {t: {content: x, name: " + TOKEN_SECRET + "}}")).singleElement().asString().contains("reserved");
    }

    @Test
    void theControllersKeysAndLabelsAreRefused() {
        assertThat(refusals(DefinitionPolicy.DENY, """
                services:
                  web:
                    image: nginx
                    labels: {org.ailtire.kind: stack}
                    deploy: {labels: {org.ailtire.managed: "true"}}
                    secrets: [ailtire-token]
                secrets:
                  ailtire-token: {content: mine}
                configs:
                  ailtire-web-definition: {content: x, labels: {org.ailtire.key: x}}
                networks:
                  ailtire-web-parent: {}
                """)).extracting(r -> r.substring(0, r.indexOf(": "))).containsExactlyInAnyOrder(
                "services.web.labels.org.ailtire.kind", "services.web.deploy.labels.org.ailtire.managed",
                "secrets.ailtire-token", "configs.ailtire-web-definition",
                "configs.ailtire-web-definition.labels.org.ailtire.key", "networks.ailtire-web-parent");
    }

    @Test
    void aChildStackServiceRunsTheTreesControllerImage() {
        assertThat(refusals(DefinitionPolicy.DENY, """
                services:
                  backend:
                    image: evil/controller:1
                    x-ailtire: {stack: "services: {db: {image: nginx}}"}
                """)).singleElement().asString().startsWith("services.backend.image: refused: a child stack runs "
                + "the tree's controller image");
    }

    @Test
    void anOriginalChildStackGetsTheEnginesSocketOnlyWhereTheSocketIsAllowed() throws Exception {
        String original = "services: {legacy: {image: ailtire/sidecar:1, x-ailtire: {compatibility: original}}}";
        assertThat(refusals(DefinitionPolicy.DENY, original)).containsExactly("services.legacy.x-ailtire.compatibility:"
                + " refused: an original child stack runs its own image with the engine's socket (root on the node);"
                + " allowed by the tree's policy: deploy --allow-docker-socket (allow_docker_socket in a policy file)");
        load(policy(List.of(), true, false, List.of(), List.of()), original);
    }

    @Test
    void aDefinitionsOwnPolicyNarrowsAndCannotWiden() throws Exception {
        DefinitionPolicy received = policy(List.of("/srv/data"), false, false, List.of("NET_ADMIN"), List.of());
        assertThat(refusals(received, """
                x-ailtire-policy: {allow_bind: [/srv/data, /etc], allow_host_network: true}
                services: {web: {image: nginx}}
                """)).containsExactly(
                "x-ailtire-policy: refused: allow_bind /etc is not allowed by the policy this stack received (deploy "
                        + "--allow-bind /etc); a "
                        + "stack's policy can only narrow its parent's",
                "x-ailtire-policy: refused: allow_host_network is not allowed by the policy this stack received (deploy "
                        + "--allow-host-network); a "
                        + "stack's policy can only narrow its parent's");
        assertThat(refusals(received, """
                x-ailtire-policy: {allow_cap: [NET_ADMIN]}
                services: {web: {image: nginx, volumes: ["/srv/data:/data"], cap_add: [NET_ADMIN]}}
                """)).singleElement().asString().startsWith("services.web.volumes[0]: refused");
        assertThat(refusals(received, "x-ailtire-policy: {allow_bnd: [/x]}\nservices: {web: {image: nginx}}"))
                .singleElement().asString().startsWith("x-ailtire-policy.allow_bnd: unknown key");
    }

    @Test
    void narrowingKeepsOnlyWhatBothAllowAndUnionWhatEitherDoes() {
        DefinitionPolicy a = policy(List.of("/a", "/b"), true, false, List.of("NET_ADMIN"), List.of("s"));
        DefinitionPolicy b = policy(List.of("/b/", "/c"), true, true, List.of("net_admin", "SYS_TIME"), List.of());
        assertThat(a.narrowedBy(b)).isEqualTo(policy(List.of("/b"), true, false, List.of("NET_ADMIN"), List.of()));
        assertThat(a.union(b)).isEqualTo(policy(List.of("/a", "/b", "/c"), true, true, List.of("NET_ADMIN", "SYS_TIME"),
                List.of("s")));
        assertThat(DefinitionPolicy.DENY.allowances()).containsExactly("deny by default");
        assertThat(a.allowances()).containsExactly("bind /a", "bind /b", "docker socket", "cap_add NET_ADMIN",
                "external secret s");
    }

    @Test
    void readingNamesEveryBadKeyWithItsPath() {
        List<Problem> problems = new java.util.ArrayList<>();
        DefinitionPolicy.read(Map.of("allow_bind", List.of("relative", 3), "allow_cap", "NET ADMIN",
                "allow_host_network", "yes"), "policy.yml", problems);
        assertThat(problems).extracting(Problem::toString).containsExactlyInAnyOrder(
                "policy.yml.allow_bind[0]: expected an absolute host path, got \"relative\"",
                "policy.yml.allow_bind[1]: expected a string, got 3",
                "policy.yml.allow_cap[0]: expected a capability such as NET_ADMIN, got \"NET ADMIN\"",
                "policy.yml.allow_host_network: expected true or false, got yes");
    }

    private static DefinitionPolicy policy(List<String> binds, boolean socket, boolean hostNetwork, List<String> caps,
                                           List<String> secrets) {
        return new DefinitionPolicy(binds, socket, hostNetwork, caps, secrets);
    }

    private static void load(DefinitionPolicy policy, String yaml) throws DefinitionException {
        new DefinitionLoader(null).withCheck(new PolicyCheck(policy, Set.of(TOKEN_SECRET))).load(yaml, Map.of());
    }

    private static List<String> refusals(DefinitionPolicy policy, String yaml) {
        return assertThatThrownBy(() -> load(policy, yaml)).isInstanceOf(DefinitionException.class)
                .actual() instanceof DefinitionException e
                ? e.problems().stream().filter(p -> p.severity() == Problem.Severity.ERROR).map(Problem::toString).toList()
                : List.of();
    }
}
