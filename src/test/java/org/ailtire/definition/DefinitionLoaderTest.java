package org.ailtire.definition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.ailtire.definition.ServiceDefinition.Deploy;
import org.ailtire.definition.ServiceDefinition.EndpointMode;
import org.ailtire.definition.ServiceDefinition.FileReference;
import org.ailtire.definition.ServiceDefinition.Healthcheck;
import org.ailtire.definition.ServiceDefinition.Mode;
import org.ailtire.definition.ServiceDefinition.Placement;
import org.ailtire.definition.ServiceDefinition.Port;
import org.ailtire.definition.ServiceDefinition.ResourceAmount;
import org.ailtire.definition.ServiceDefinition.Resources;
import org.ailtire.definition.ServiceDefinition.RestartPolicy;
import org.ailtire.definition.ServiceDefinition.ServiceNetwork;
import org.ailtire.definition.ServiceDefinition.UpdateConfig;
import org.ailtire.definition.ServiceDefinition.VolumeMount;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DefinitionLoaderTest {
    private static final String FULL = """
            version: "3.9"
            name: shop
            x-defaults: &defaults
              user: "1000"
              stop_signal: SIGTERM
            x-labels:
              team: core
            services:
              web:
                <<: *defaults
                image: "registry.local/web:${TAG:-latest}"
                command: sh -c 'echo "hello world"'
                entrypoint: ["/bin/tini", "--"]
                env_file: web.env
                environment:
                  MODE: production
                  FROM_FILE: overridden
                  HOME_DIR:
                  ABSENT:
                labels: ["com.example.tier=front", "flag"]
                deploy:
                  mode: replicated
                  replicas: ${REPLICAS}
                  endpoint_mode: dnsrr
                  labels: {com.example.deploy: "yes"}
                  resources:
                    limits: {cpus: "0.5", memory: 512M, pids: 100}
                    reservations: {cpus: 0.25, memory: 1024k}
                  restart_policy: {condition: on-failure, delay: 5s, max_attempts: 3, window: 1m30s}
                  placement:
                    constraints: ["node.role == manager"]
                    preferences: [{spread: node.labels.zone}]
                    max_replicas_per_node: 2
                  update_config: {parallelism: 2, delay: 10s, failure_action: rollback, monitor: 500ms,
                                  max_failure_ratio: 0.3, order: start-first}
                  rollback_config: {parallelism: 1, failure_action: pause, order: stop-first}
                ports:
                  - "8080:80"
                  - 9000
                  - "53:53/udp"
                  - "7000-7001:8000-8001"
                  - {target: 443, published: 8443, protocol: tcp, mode: host}
                networks:
                  front:
                    aliases: [www]
                  back:
                volumes:
                  - data:/var/lib/data:ro
                  - /srv/static:/static
                  - /cache
                  - {type: tmpfs, target: /tmp}
                  - {type: bind, source: /etc/ssl, target: /ssl, read_only: true}
                  - {type: volume, source: data, target: /data2}
                tmpfs: /run
                configs:
                  - app
                  - {source: app, target: /etc/app.conf, uid: "1", gid: "2", mode: 0440}
                secrets:
                  - {source: token, target: token.txt, mode: 0o400}
                healthcheck:
                  test: curl -f http://localhost/
                  interval: 30s
                  timeout: 5s
                  retries: 3
                  start_period: 1m
                stop_grace_period: 1m30s
                working_dir: /app
                hostname: web-host
                extra_hosts: ["db.local:10.0.0.5", "cache=10.0.0.6"]
                x-ailtire: {stack: "services: {api: {image: nginx}}", path: /front}
                x-replicas: 2
              worker:
                image: busybox
                command: [echo, "$$HOME"]
                deploy: {mode: global}
                healthcheck: {disable: true}
                extra_hosts: {api.local: 10.0.0.7}
                environment: ["A=1", "B"]
            networks:
              front:
                driver: overlay
                driver_opts: {encrypted: ""}
                attachable: true
                labels: {purpose: edge}
              back:
                internal: true
              outside:
                external: true
                name: host-net
            volumes:
              data:
                driver: local
                driver_opts: {type: tmpfs, device: tmpfs}
                labels: [backup=daily]
              shared:
                external: true
                name: nfs-share
            configs:
              app:
                file: ./app.conf
                labels: {kind: conf}
              inline:
                content: "port=${PORT:-80}"
              fromenv:
                environment: TAG
            secrets:
              token:
                file: secrets/token.txt
              existing:
                external: true
                name: prod-token
            """;

    @TempDir
    Path directory;

    @Test
    void loadsAFullFeaturedDefinitionToTheExactRecords() throws Exception {
        Files.writeString(directory.resolve("web.env"), "# comment\nFROM_FILE=file\nQUOTED=\"kept\"\n\nHOME_DIR=ignored\n");
        Files.writeString(directory.resolve("app.conf"), "listen 80\n");
        Files.createDirectories(directory.resolve("secrets"));
        Files.writeString(directory.resolve("secrets/token.txt"), "s3cret");

        LoadedDefinition loaded = new DefinitionLoader(directory).load(FULL,
                Map.of("TAG", "1.4", "REPLICAS", "3", "HOME_DIR", "/home/app", "B", "bee"));
        StackDefinition stack = loaded.definition();

        assertThat(loaded.name()).isEqualTo("shop");
        assertThat(loaded.warnings()).isEmpty();
        assertThat(stack.services()).containsOnlyKeys("web", "worker");
        ServiceDefinition web = new ServiceDefinition("web", "registry.local/web:1.4",
                List.of("sh", "-c", "echo \"hello world\""), List.of("/bin/tini", "--"),
                orderedMap("FROM_FILE", "overridden", "QUOTED", "\"kept\"", "HOME_DIR", "/home/app", "MODE", "production"),
                Map.of("com.example.tier", "front", "flag", ""),
                new Deploy(Mode.REPLICATED, 3,
                        new Resources(new ResourceAmount(500_000_000L, 512L * 1024 * 1024, 100L),
                                new ResourceAmount(250_000_000L, 1024L * 1024, null)),
                        new RestartPolicy(RestartPolicy.Condition.ON_FAILURE, Duration.ofSeconds(5), 3, Duration.ofSeconds(90)),
                        new Placement(List.of("node.role == manager"), List.of("node.labels.zone"), 2),
                        new UpdateConfig(2, Duration.ofSeconds(10), UpdateConfig.FailureAction.ROLLBACK,
                                Duration.ofMillis(500), 0.3, UpdateConfig.Order.START_FIRST),
                        new UpdateConfig(1, null, UpdateConfig.FailureAction.PAUSE, null, null, UpdateConfig.Order.STOP_FIRST),
                        EndpointMode.DNSRR, Map.of("com.example.deploy", "yes")),
                List.of(new Port(80, 8080, Port.Protocol.TCP, null), new Port(9000, null, Port.Protocol.TCP, null),
                        new Port(53, 53, Port.Protocol.UDP, null), new Port(8000, 7000, Port.Protocol.TCP, null),
                        new Port(8001, 7001, Port.Protocol.TCP, null), new Port(443, 8443, Port.Protocol.TCP, Port.PublishMode.HOST)),
                Map.of("front", new ServiceNetwork(List.of("www")), "back", ServiceNetwork.PLAIN),
                List.of(new VolumeMount(VolumeMount.Type.VOLUME, "data", "/var/lib/data", true),
                        new VolumeMount(VolumeMount.Type.BIND, "/srv/static", "/static", false),
                        new VolumeMount(VolumeMount.Type.VOLUME, null, "/cache", false),
                        new VolumeMount(VolumeMount.Type.TMPFS, null, "/tmp", false),
                        new VolumeMount(VolumeMount.Type.BIND, "/etc/ssl", "/ssl", true),
                        new VolumeMount(VolumeMount.Type.VOLUME, "data", "/data2", false),
                        new VolumeMount(VolumeMount.Type.TMPFS, null, "/run", false)),
                List.of(new FileReference("app", null, null, null, null), new FileReference("app", "/etc/app.conf", "1", "2", 0440)),
                List.of(new FileReference("token", "token.txt", null, null, 0400)),
                new Healthcheck(List.of("CMD-SHELL", "curl -f http://localhost/"), Duration.ofSeconds(30),
                        Duration.ofSeconds(5), 3, Duration.ofMinutes(1), false),
                Duration.ofSeconds(90), "SIGTERM", "1000", "/app", "web-host",
                List.of("db.local:10.0.0.5", "cache:10.0.0.6"), ServiceDefinition.ContainerOptions.NONE,
                Map.of("x-replicas", 2),
                new AiltireExtension(java.util.Optional.of(new ChildStackReference("services: {api: {image: nginx}}",
                        "/front")), List.of()));
        assertThat(stack.services().get("web")).isEqualTo(web);
        assertThat(List.copyOf(stack.services().get("web").environment().keySet()))
                .containsExactly("FROM_FILE", "QUOTED", "HOME_DIR", "MODE");

        ServiceDefinition worker = new ServiceDefinition("worker", "busybox", List.of("echo", "$HOME"), null,
                orderedMap("A", "1", "B", "bee"), Map.of(),
                new Deploy(Mode.GLOBAL, null, null, null, null, null, null, null, Map.of()),
                List.of(), Map.of("default", ServiceNetwork.PLAIN), List.of(), List.of(), List.of(),
                new Healthcheck(List.of(), null, null, null, null, true), null, null, null, null, null,
                List.of("api.local:10.0.0.7"), Map.of());
        assertThat(stack.services().get("worker")).isEqualTo(worker);

        assertThat(stack.networks()).containsExactly(
                Map.entry("front", new NetworkDefinition("overlay", Map.of("encrypted", ""), true, false, false, null,
                        Map.of("purpose", "edge"))),
                Map.entry("back", new NetworkDefinition(null, Map.of(), false, true, false, null, Map.of())),
                Map.entry("outside", new NetworkDefinition(null, Map.of(), false, false, true, "host-net", Map.of())),
                Map.entry("default", NetworkDefinition.DEFAULT));
        assertThat(stack.volumes()).containsExactly(
                Map.entry("data", new VolumeDefinition("local", Map.of("type", "tmpfs", "device", "tmpfs"), false, null,
                        Map.of("backup", "daily"))),
                Map.entry("shared", new VolumeDefinition(null, Map.of(), true, "nfs-share", Map.of())));
        assertThat(stack.configs()).containsExactly(
                Map.entry("app", new ConfigDefinition(bytes("listen 80\n"), false, null, Map.of("kind", "conf"))),
                Map.entry("inline", new ConfigDefinition(bytes("port=80"), false, null, Map.of())),
                Map.entry("fromenv", new ConfigDefinition(bytes("1.4"), false, null, Map.of())));
        assertThat(stack.secrets()).containsOnlyKeys("token", "existing");
        assertThat(stack.secrets().get("token").content()).isEqualTo(new ConfigDefinition(bytes("s3cret"), false, null, Map.of()));
        assertThat(stack.secrets().get("existing").content()).isEqualTo(new ConfigDefinition(null, true, "prod-token", Map.of()));
        assertThat(stack.extensions()).containsExactly(
                Map.entry("x-defaults", Map.of("user", "1000", "stop_signal", "SIGTERM")),
                Map.entry("x-labels", Map.of("team", "core")));
    }

    @Test
    void reportsEveryProblemWithItsPath() {
        String yaml = """
                services:
                  web:
                    image: nginx
                    deploy:
                      mode: global
                      replicas: three
                      resources: {limits: {memory: lots, cpus: many}}
                      restart_policy: {condition: sometimes, delay: 10}
                      update_config: {max_failure_ratio: 2}
                    ports: ["127.0.0.1:80:80", "70000:80", {published: 80}, "8000-8002:80-81"]
                    networks: [missing]
                    volumes: ["nothere:/data", "data:relative"]
                    configs: [ghost]
                    secrets: [{target: x}]
                    healthcheck: {test: [WRONG], interval: 10}
                    stop_grace_period: forever
                    extra_hosts: ["nocolon"]
                    frobnicate: true
                  bad name:
                    image: x
                  api:
                    image: x
                    deploy: {replicas: -1}
                    configs: [{source: c, mode: 0999}]
                configs:
                  c: {content: x, external: true}
                  d: {}
                bogus: 1
                """;
        assertThatThrownBy(() -> new DefinitionLoader(null).load(yaml, Map.of()))
                .isInstanceOfSatisfying(DefinitionException.class, e -> assertThat(e.problems()).extracting(Problem::toString)
                        .containsExactlyInAnyOrder(
                                "bogus: unknown key",
                                "configs.c: needs exactly one of file, content, environment or external, got content and external",
                                "configs.d: needs exactly one of file, content, environment or external",
                                "services.web.frobnicate: unknown key",
                                "services.web.deploy.replicas: expected an integer, got \"three\"",
                                "services.web.deploy.replicas: not allowed with mode global (it runs one task per node); replicas go with replicated or replicated-job",
                                "services.web.deploy.resources.limits.cpus: expected a number of CPUs such as \"0.5\" or \"2\", got \"many\"",
                                "services.web.deploy.resources.limits.memory: expected a size such as \"512M\", \"1g\" or \"1024k\", got \"lots\"",
                                "services.web.deploy.restart_policy.condition: expected one of none, on-failure, any, got \"sometimes\"",
                                "services.web.deploy.restart_policy.delay: a duration needs a unit, e.g. \"10s\" (units: ns, us, ms, s, m, h)",
                                "services.web.deploy.update_config.max_failure_ratio: must be between 0 and 1, got 2.0",
                                "services.web.ports[0]: a host IP (\"127.0.0.1:80:80\") is not supported by swarm; publish as \"published:target\"",
                                "services.web.ports[1]: port out of range (1-65535): 70000",
                                "services.web.ports[2].target: required: the container port",
                                "services.web.ports[3]: published and target port ranges differ in size in \"8000-8002:80-81\"",
                                "services.web.networks[0]: network \"missing\" is not defined in the top-level networks",
                                "services.web.volumes[0]: volume \"nothere\" is not defined in the top-level volumes",
                                "services.web.volumes[1]: the path in the container must be absolute, got \"relative\"",
                                "services.web.configs[0]: config \"ghost\" is not defined in the top-level configs",
                                "services.web.secrets[0].source: required: the name of the top-level entry",
                                "services.web.healthcheck.test: a test list starts with \"CMD\", \"CMD-SHELL\" or \"NONE\", got [WRONG]",
                                "services.web.healthcheck.interval: a duration needs a unit, e.g. \"10s\" (units: ns, us, ms, s, m, h)",
                                "services.web.stop_grace_period: expected a duration such as \"10s\", \"1m30s\" or \"500ms\", got \"forever\"",
                                "services.web.extra_hosts[0]: expected \"host:ip\", got \"nocolon\"",
                                "services.bad name: invalid name: must match [a-zA-Z0-9][a-zA-Z0-9_.-]*",
                                "services.api.deploy.replicas: must not be negative, got -1",
                                "services.api.configs[0].mode: expected a file mode such as 0440, got 0999"));
    }

    @Test
    void ignoredKeysAreWarningsNeverSilentlyDropped() throws DefinitionException {
        LoadedDefinition loaded = new DefinitionLoader(null).load("""
                services:
                  web:
                    image: nginx
                    build: .
                    container_name: w
                    depends_on: [db]
                    restart: always
                    privileged: true
                    group_add: [audio]
                    dns_opt: [ndots:2]
                    healthcheck: {test: [CMD, "true"], start_interval: 1s}
                    networks: {default: {ipv4_address: 10.0.0.2}}
                    volumes: ["/a:/b:z"]
                    deploy: {resources: {reservations: {devices: []}}}
                networks:
                  default: {ipam: {options: {a: b}}, x-note: hi}
                """, Map.of());
        assertThat(loaded.warnings()).extracting(Problem::toString).containsExactlyInAnyOrder(
                "services.web.build: ignored: not supported by swarm (docker stack deploy ignores it too) (warning)",
                "services.web.container_name: ignored: not supported by swarm (docker stack deploy ignores it too) (warning)",
                "services.web.depends_on: ignored: not supported by swarm (docker stack deploy ignores it too) (warning)",
                "services.web.privileged: ignored: not supported by swarm (docker stack deploy ignores it too) (warning)",
                "services.web.group_add: ignored: not supported by swarm (docker stack deploy ignores it too) (warning)",
                "services.web.dns_opt: ignored: not supported by swarm (docker stack deploy ignores it too) (warning)",
                "services.web.healthcheck.start_interval: ignored: not supported by ailtire yet (warning)",
                "services.web.networks.default.ipv4_address: ignored: not supported by swarm (docker stack deploy ignores it too) (warning)",
                "services.web.volumes[0]: volume option \"z\" ignored: not supported by ailtire yet (warning)",
                "services.web.deploy.resources.reservations.devices: ignored: not supported by swarm (docker stack deploy ignores it too) (warning)",
                "networks.default.ipam.options: ignored: not supported by ailtire yet (warning)",
                "networks.default.x-note: ignored: extension fields are kept only at the top level and in services (warning)");
        assertThat(loaded.definition().services().get("web").healthcheck().test()).containsExactly("CMD", "true");
    }

    @Test
    void unsetVariablesWarnAndRequiredOnesFailWithThePath() throws DefinitionException {
        LoadedDefinition loaded = new DefinitionLoader(null).load("services:\n  web:\n    image: nginx:$TAG\n", Map.of());
        assertThat(loaded.definition().services().get("web").image()).isEqualTo("nginx:");
        assertThat(loaded.warnings()).containsExactly(
                Problem.warning("services.web.image", "variable TAG is not set, using an empty string"));
        assertThatThrownBy(() -> new DefinitionLoader(null).load("services:\n  web:\n    image: \"nginx:${TAG:?give a tag}\"\n", Map.of()))
                .isInstanceOfSatisfying(DefinitionException.class, e -> assertThat(e.problems()).containsExactly(
                        Problem.error("services.web.image", "required variable TAG is missing a value: give a tag")));
    }

    @Test
    void controlCharactersInLabelsAreRefused() {
        String yaml = """
                services:
                  web:
                    image: nginx
                    labels:
                      "a\\r\\nX-Injected: yes": "1"
                      ok: "line\\u001b[2J"
                networks:
                  n:
                    driver_opts:
                      "": x
                """;
        assertThatThrownBy(() -> new DefinitionLoader(null).load(yaml, Map.of()))
                .isInstanceOfSatisfying(DefinitionException.class, e -> assertThat(e.problems()).extracting(Problem::toString)
                        .containsExactlyInAnyOrder(
                                "services.web.labels: invalid name \"a\\r\\nX-Injected: yes\": empty or with control characters",
                                "services.web.labels.ok: control characters are not allowed in the value \"line\\u001b[2J\"",
                                "networks.n.driver_opts: invalid name \"\": empty or with control characters"));
    }

    @Test
    void servicesAreRequiredAndNonEmpty() {
        assertThatThrownBy(() -> new DefinitionLoader(null).load("version: '3'\n", Map.of()))
                .hasMessageContaining("services: required: at least one service");
        assertThatThrownBy(() -> new DefinitionLoader(null).load("services:\n", Map.of()))
                .hasMessageContaining("services: required: at least one service");
        assertThatThrownBy(() -> new DefinitionLoader(null).load("services: {}\n", Map.of()))
                .hasMessageContaining("services: required: at least one service");
        assertThatThrownBy(() -> new DefinitionLoader(null).load("services: [web]\n", Map.of()))
                .hasMessageContaining("services: expected a mapping, got a list");
        assertThatThrownBy(() -> new DefinitionLoader(null).load("services:\n  web: {}\n", Map.of()))
                .hasMessageContaining("services.web.image: required");
    }

    @Test
    void fileReferencesAreRefusedForADefinitionFromTheNetwork() {
        String yaml = """
                services:
                  web: {image: x, env_file: web.env, volumes: ["./data:/data"]}
                configs:
                  c: {file: ./c.conf}
                secrets:
                  s: {file: s.txt}
                """;
        assertThatThrownBy(() -> new DefinitionLoader(null).load(yaml, Map.of()))
                .isInstanceOfSatisfying(DefinitionException.class, e -> assertThat(e.problems()).extracting(Problem::path)
                        .containsExactlyInAnyOrder("services.web.env_file", "services.web.volumes[0]", "configs.c.file",
                                "secrets.s.file"))
                .hasMessageContaining("configs.c.file: refused: file reference \"./c.conf\" in a definition received over the network");
    }

    @Test
    void pathTraversalOutOfTheBaseDirectoryIsRefused(@TempDir Path outside) throws Exception {
        Path base = Files.createDirectories(directory.resolve("stack"));
        Files.writeString(directory.resolve("secret.txt"), "x");
        Files.writeString(outside.resolve("target.txt"), "x");
        Files.createSymbolicLink(base.resolve("link.txt"), outside.resolve("target.txt"));
        String yaml = """
                services:
                  web: {image: x, env_file: [../secret.txt]}
                configs:
                  a: {file: %s}
                  b: {file: link.txt}
                  c: {file: missing.txt}
                secrets:
                  s: {file: sub/../../secret.txt}
                """.formatted(outside.resolve("target.txt"));
        assertThatThrownBy(() -> new DefinitionLoader(base).load(yaml, Map.of()))
                .isInstanceOfSatisfying(DefinitionException.class, e -> assertThat(e.problems()).extracting(Problem::toString)
                        .containsExactlyInAnyOrder(
                                "services.web.env_file[0]: refused: \"../secret.txt\" is outside the definition's directory",
                                "configs.a.file: refused: \"" + outside.resolve("target.txt") + "\" is outside the definition's directory",
                                "configs.b.file: refused: \"link.txt\" leads outside the definition's directory (symbolic link)",
                                "configs.c.file: file \"missing.txt\" not found in " + base,
                                "secrets.s.file: refused: \"sub/../../secret.txt\" is outside the definition's directory"));
    }

    @Test
    void relativeBindMountsResolveAgainstTheBaseDirectory() throws DefinitionException {
        LoadedDefinition loaded = new DefinitionLoader(directory).load(
                "services:\n  web: {image: x, volumes: [\"./data:/data\"]}\n", Map.of());
        assertThat(loaded.definition().services().get("web").volumes()).containsExactly(
                new VolumeMount(VolumeMount.Type.BIND, directory.resolve("data").toString(), "/data", false));
    }

    @Test
    void oversizeDefinitionIsRefused() {
        String yaml = "services: {}\nx-pad: \"" + "p".repeat(DefinitionLoader.MAX_DEFINITION_BYTES) + "\"\n";
        assertThatThrownBy(() -> new DefinitionLoader(null).load(yaml, Map.of()))
                .hasMessageContaining("the definition is larger than 1048576 bytes");
    }

    @Test
    void mergeKeysWorkAcrossServices() throws DefinitionException {
        LoadedDefinition loaded = new DefinitionLoader(null).load("""
                x-common: &common {image: base, deploy: {replicas: 2}}
                x-extra: &extra {user: app, image: other}
                services:
                  a: {<<: [*common, *extra], hostname: a}
                  b: {<<: *common, image: own}
                """, Map.of());
        ServiceDefinition a = loaded.definition().services().get("a");
        ServiceDefinition b = loaded.definition().services().get("b");
        assertThat(a.image()).isEqualTo("base");
        assertThat(a.user()).isEqualTo("app");
        assertThat(a.deploy().replicas()).isEqualTo(2);
        assertThat(b.image()).isEqualTo("own");
    }

    @Test
    void externalConflictsAndLegacyExternalName() throws DefinitionException {
        assertThatThrownBy(() -> new DefinitionLoader(null).load(
                "services: {web: {image: x}}\nnetworks: {n: {external: true, driver: overlay}}\n", Map.of()))
                .hasMessageContaining("networks.n.driver: cannot be combined with external");
        LoadedDefinition loaded = new DefinitionLoader(null).load(
                "services: {web: {image: x}}\nvolumes: {v: {external: {name: real}}}\n", Map.of());
        assertThat(loaded.definition().volumes().get("v")).isEqualTo(new VolumeDefinition(null, Map.of(), true, "real", Map.of()));
        assertThat(loaded.warnings()).extracting(Problem::path).containsExactly("volumes.v.external");
    }

    @Test
    void configFromAnUnsetEnvironmentVariableIsAnError() {
        assertThatThrownBy(() -> new DefinitionLoader(null).load(
                "services: {web: {image: x}}\nconfigs: {c: {environment: NOPE}}\n", Map.of()))
                .hasMessageContaining("configs.c.environment: variable NOPE is not set");
    }

    @Test
    void wrongShapesAreReportedNotThrown() {
        assertThatThrownBy(() -> new DefinitionLoader(null).load("""
                services:
                  web:
                    image: [x]
                    command: {a: b}
                    labels: 5
                    ports: "80"
                    networks: 3
                    deploy: [x]
                    healthcheck: {retries: lots, disable: maybe}
                """, Map.of()))
                .isInstanceOfSatisfying(DefinitionException.class, e -> assertThat(e.problems()).extracting(Problem::toString)
                        .containsExactlyInAnyOrder(
                                "services.web.image: expected a string, got a list",
                                "services.web.command: expected a list, got a mapping",
                                "services.web.labels: expected a mapping or a list of KEY=VALUE, got 5",
                                "services.web.ports: expected a list, got \"80\"",
                                "services.web.networks: expected a list or a mapping of networks, got 3",
                                "services.web.deploy: expected a mapping, got a list",
                                "services.web.healthcheck.retries: expected an integer, got \"lots\"",
                                "services.web.healthcheck.disable: expected true or false, got \"maybe\""));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static Map<String, String> orderedMap(String... keysAndValues) {
        Map<String, String> map = new java.util.LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }
}
