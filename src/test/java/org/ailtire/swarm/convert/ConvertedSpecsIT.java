package org.ailtire.swarm.convert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.ContainerSpec;
import com.github.dockerjava.api.model.ContainerSpecConfig;
import com.github.dockerjava.api.model.ContainerSpecSecret;
import com.github.dockerjava.api.model.EndpointResolutionMode;
import com.github.dockerjava.api.model.Mount;
import com.github.dockerjava.api.model.MountType;
import com.github.dockerjava.api.model.NetworkAttachmentConfig;
import com.github.dockerjava.api.model.PortConfig;
import com.github.dockerjava.api.model.SecretSpec;
import com.github.dockerjava.api.model.ServiceSpec;
import com.github.dockerjava.api.model.UpdateOrder;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import com.github.dockerjava.transport.DockerHttpClient;
import org.ailtire.definition.ConfigDefinition;
import org.ailtire.definition.NetworkDefinition;
import org.ailtire.definition.SecretDefinition;
import org.ailtire.definition.ServiceDefinition.Deploy;
import org.ailtire.definition.ServiceDefinition.EndpointMode;
import org.ailtire.definition.ServiceDefinition.FileReference;
import org.ailtire.definition.ServiceDefinition.Healthcheck;
import org.ailtire.definition.ServiceDefinition.Placement;
import org.ailtire.definition.ServiceDefinition.Port;
import org.ailtire.definition.ServiceDefinition.ResourceAmount;
import org.ailtire.definition.ServiceDefinition.Resources;
import org.ailtire.definition.ServiceDefinition.RestartPolicy;
import org.ailtire.definition.ServiceDefinition.UpdateConfig;
import org.ailtire.definition.ServiceDefinition.VolumeMount;
import org.ailtire.definition.StackDefinition;
import org.ailtire.definition.VolumeDefinition;
import org.ailtire.swarm.Labels;
import org.ailtire.swarm.testsupport.TestSwarm;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.ailtire.swarm.convert.Fixtures.service;
import static org.ailtire.swarm.convert.Fixtures.stack;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

/** The engine accepts what the converter produces and keeps it, and it matches what {@code docker stack deploy} makes. */
@Tag("integration")
class ConvertedSpecsIT {
    private static final int HOST_PORT = 38_081;
    private static final byte[] APP_CONF = "greeting=hello\n".getBytes(StandardCharsets.UTF_8);

    /** A service using every converted key, on dnsrr with a host-mode port (the engine here has no IPVS). */
    private static StackDefinition fullDefinition() {
        Deploy deploy = new Deploy(null, 1,
                new Resources(new ResourceAmount(500_000_000L, 64L * 1024 * 1024, 100L),
                        new ResourceAmount(null, 16L * 1024 * 1024, null)),
                new RestartPolicy(RestartPolicy.Condition.ON_FAILURE, Duration.ofSeconds(5), 3, Duration.ofMinutes(1)),
                new Placement(List.of("node.role==manager"), List.of("node.labels.zone"), 1),
                new UpdateConfig(1, Duration.ofSeconds(1), UpdateConfig.FailureAction.ROLLBACK, Duration.ofSeconds(5),
                        0.1, UpdateConfig.Order.START_FIRST),
                new UpdateConfig(null, null, UpdateConfig.FailureAction.PAUSE, null, null, UpdateConfig.Order.STOP_FIRST),
                EndpointMode.DNSRR, Map.of("team", "blue"));
        return stack()
                .network("backend", new NetworkDefinition(null, Map.of(), true, false, false, null, Map.of("purpose", "api")))
                .volume("data", new VolumeDefinition(null, Map.of(), false, null, Map.of("keep", "yes")))
                .config("app", new ConfigDefinition(APP_CONF, false, null, Map.of()))
                .secret("token", new SecretDefinition("s3cr3t".getBytes(StandardCharsets.UTF_8), false, null, Map.of()))
                .service("web", service().image(TestSwarm.BUSYBOX)
                        .entrypoint("sh", "-c").command("sleep 3600")
                        .env("B", "2").env("A", "1")
                        .label("tier", "front")
                        .deploy(deploy)
                        .port(new Port(80, HOST_PORT, Port.Protocol.TCP, Port.PublishMode.HOST))
                        .network("backend", "api.internal")
                        .volume(new VolumeMount(VolumeMount.Type.VOLUME, "data", "/data", false))
                        .volume(new VolumeMount(VolumeMount.Type.BIND, "/tmp", "/host-tmp", true))
                        .volume(new VolumeMount(VolumeMount.Type.TMPFS, null, "/scratch", false))
                        .config(new FileReference("app", "/etc/app.conf", null, null, null))
                        .secret(new FileReference("token", null, null, null, null))
                        .healthcheck(new Healthcheck(List.of("CMD", "true"), Duration.ofSeconds(10), Duration.ofSeconds(2),
                                3, Duration.ofSeconds(1), false))
                        .stopGracePeriod(Duration.ofSeconds(20)).stopSignal("SIGTERM")
                        .user("0").workingDir("/tmp").hostname("web-host").extraHost("db.local:10.0.0.5"))
                .service("worker", service().image(TestSwarm.BUSYBOX).command("sleep", "3600"))
                .build();
    }

    @Test
    void engineAcceptsAndKeepsTheConvertedStack() throws Exception {
        try (TestSwarm swarm = TestSwarm.create("convert")) {
            DockerClient docker = swarm.docker();
            StackResources resources = new StackConverter(new ConvertOptions("/it/convert", Fixtures.NO_IPVS))
                    .convert(swarm.namespace(), fullDefinition()).resources();

            Map<String, String> networkIds = createObjects(docker, resources);
            ServiceResource web = resources.services().stream().filter(s -> s.key().equals("web")).findFirst().orElseThrow();

            ServiceSpec kept = docker.inspectServiceCmd(web.name()).exec().getSpec();
            ContainerSpec container = kept.getTaskTemplate().getContainerSpec();
            String ns = swarm.namespace();

            assertThat(kept.getLabels()).contains(entry("team", "blue"), entry(Labels.NAMESPACE, ns),
                    entry(Labels.STACK_IMAGE, TestSwarm.BUSYBOX), entry(Labels.MANAGED, "true"),
                    entry(Labels.STACK_PATH, "/it/convert"), entry(Labels.KEY, "web"), entry(Labels.SPEC_HASH, web.specHash()));
            assertThat(container.getLabels()).contains(entry("tier", "front"), entry(Labels.NAMESPACE, ns));
            assertThat(container.getCommand()).containsExactly("sh", "-c");
            assertThat(container.getArgs()).containsExactly("sleep 3600");
            assertThat(container.getEnv()).containsExactly("A=1", "B=2");
            assertThat(container.getHosts()).containsExactly("10.0.0.5 db.local");
            assertThat(container.getStopGracePeriod()).isEqualTo(20_000_000_000L);
            assertThat(container.getHealthCheck().getInterval()).isEqualTo(10_000_000_000L);

            assertThat(container.getMounts()).extracting(Mount::getType, Mount::getSource, Mount::getTarget)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple(MountType.VOLUME, ns + "_data", "/data"),
                            org.assertj.core.groups.Tuple.tuple(MountType.BIND, "/tmp", "/host-tmp"),
                            org.assertj.core.groups.Tuple.tuple(MountType.TMPFS, null, "/scratch"));
            assertThat(container.getMounts().getFirst().getVolumeOptions().getLabels())
                    .contains(entry("keep", "yes"), entry(Labels.NAMESPACE, ns));
            assertThat(container.getMounts().get(1).getReadOnly()).isTrue();
            assertThat(container.getConfigs()).singleElement().satisfies(c -> {
                assertThat(c.getConfigName()).startsWith(ns + "_app_");
                assertThat(c.getFile().getName()).isEqualTo("/etc/app.conf");
            });
            assertThat(container.getSecrets()).singleElement()
                    .satisfies(s -> assertThat(s.getFile().getName()).isEqualTo("token"));

            assertThat(kept.getTaskTemplate().getNetworks()).singleElement().satisfies(n -> {
                assertThat(n.getTarget()).isEqualTo(networkIds.get(ns + "_backend"));
                assertThat(n.getAliases()).containsExactly("api.internal", "web");
            });
            var resourcesKept = kept.getTaskTemplate().getResources();
            assertThat(resourcesKept.getLimits().getNanoCPUs()).isEqualTo(500_000_000L);
            assertThat(resourcesKept.getLimits().getMemoryBytes()).isEqualTo(64L * 1024 * 1024);
            assertThat(resourcesKept.getReservations().getMemoryBytes()).isEqualTo(16L * 1024 * 1024);
            assertThat(kept.getUpdateConfig().getOrder()).isEqualTo(UpdateOrder.START_FIRST);
            assertThat(kept.getUpdateConfig().getMaxFailureRatio()).isEqualTo(0.1f);
            assertThat(kept.getRollbackConfig().getOrder()).isEqualTo(UpdateOrder.STOP_FIRST);
            assertThat(kept.getTaskTemplate().getPlacement().getMaxReplicas()).isEqualTo(1);
            assertThat(kept.getEndpointSpec().getMode()).isEqualTo(EndpointResolutionMode.DNSRR);
            assertThat(kept.getEndpointSpec().getPorts()).singleElement().satisfies(p -> {
                assertThat(p.getTargetPort()).isEqualTo(80);
                assertThat(p.getPublishedPort()).isEqualTo(HOST_PORT);
                assertThat(p.getPublishMode()).isEqualTo(PortConfig.PublishMode.host);
            });

            // docker-java cannot read back the two fields it lacks; the raw Engine JSON shows the engine kept them.
            JsonNode raw = rawService(web.name()).path("Spec").path("TaskTemplate");
            assertThat(raw.path("Resources").path("Limits").path("Pids").asLong()).isEqualTo(100);
            assertThat(raw.path("Placement").path("Preferences").path(0).path("Spread").path("SpreadDescriptor").asText())
                    .isEqualTo("node.labels.zone");

            ServiceSpec worker = docker.inspectServiceCmd(ns + "_worker").exec().getSpec();
            assertThat(worker.getTaskTemplate().getNetworks()).singleElement().satisfies(n -> {
                assertThat(n.getTarget()).isEqualTo(networkIds.get(ns + "_default"));
                assertThat(n.getAliases()).containsExactly("worker");
            });
            assertThat(docker.inspectNetworkCmd().withNetworkId(ns + "_backend").exec().getLabels())
                    .contains(entry("purpose", "api"), entry(Labels.NAMESPACE, ns));

            swarm.removeAll();
            assertThat(swarm.leftovers()).isEmpty();
        }
    }

    /** Creates networks, configs, secrets and services as the applier will: names resolved to IDs at create time. */
    private static Map<String, String> createObjects(DockerClient docker, StackResources resources) {
        Map<String, String> networkIds = new HashMap<>();
        for (NetworkResource network : resources.networks()) {
            String id = docker.createNetworkCmd().withName(network.name()).withDriver(network.driver())
                    .withOptions(network.options()).withAttachable(network.attachable()).withInternal(network.internal())
                    .withLabels(network.labels()).exec().getId();
            networkIds.put(network.name(), id);
        }
        Map<String, String> configIds = new HashMap<>();
        for (FileResource config : resources.configs()) {
            configIds.put(config.name(), docker.createConfigCmd().withName(config.name()).withData(config.data())
                    .withLabels(config.labels()).exec().getId());
        }
        Map<String, String> secretIds = new HashMap<>();
        for (FileResource secret : resources.secrets()) {
            secretIds.put(secret.name(), docker.createSecretCmd(new SecretSpec().withName(secret.name())
                    .withData(new String(secret.data(), java.nio.charset.StandardCharsets.UTF_8)).withLabels(secret.labels())).exec().getId());
        }
        for (ServiceResource service : resources.services()) {
            ContainerSpec container = service.spec().getTaskTemplate().getContainerSpec();
            if (container.getConfigs() != null) {
                for (ContainerSpecConfig reference : container.getConfigs()) {
                    reference.withConfigID(configIds.get(reference.getConfigName()));
                }
            }
            if (container.getSecrets() != null) {
                for (ContainerSpecSecret reference : container.getSecrets()) {
                    reference.withSecretId(secretIds.get(reference.getSecretName()));
                }
            }
            docker.createServiceCmd(service.spec()).exec();
        }
        return networkIds;
    }

    private static JsonNode rawService(String name) throws Exception {
        DockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder().build();
        try (DockerHttpClient http = new ApacheDockerHttpClient.Builder().dockerHost(config.getDockerHost()).build();
             DockerHttpClient.Response response = http.execute(DockerHttpClient.Request.builder()
                     .method(DockerHttpClient.Request.Method.GET).path("/services/" + name).build());
             InputStream body = response.getBody()) {
            assertThat(response.getStatusCode()).isEqualTo(200);
            return new ObjectMapper().readTree(body);
        }
    }

    /**
     * The same service deployed by {@code docker stack deploy} (the reference implementation) and by us: the engine
     * keeps the same values for every key both produce. Names differ only by namespace; our own labels are extra.
     */
    @Test
    void matchesWhatDockerStackDeployCreates(@TempDir Path dir) throws Exception {
        try (TestSwarm ours = TestSwarm.create("convert-ours"); TestSwarm cli = TestSwarm.create("convert-cli")) {
            Path file = dir.resolve("stack.yml");
            Files.writeString(file, """
                    version: "3.8"
                    services:
                      web:
                        image: %s
                        entrypoint: ["sh", "-c"]
                        command: ["sleep 3600"]
                        environment: {B: "2", A: "1"}
                        labels: {tier: front}
                        user: "0"
                        working_dir: /tmp
                        hostname: web-host
                        extra_hosts: ["db.local:10.0.0.5"]
                        stop_grace_period: 20s
                        stop_signal: SIGTERM
                        healthcheck: {test: ["CMD", "true"], interval: 10s, timeout: 2s, retries: 3, start_period: 1s}
                        ports: [{target: 80, published: %d, protocol: tcp, mode: host}]
                        networks: {backend: {aliases: [api.internal]}}
                        volumes:
                          - {type: volume, source: data, target: /data}
                          - {type: bind, source: /tmp, target: /host-tmp, read_only: true}
                          - {type: tmpfs, target: /scratch}
                        deploy:
                          replicas: 1
                          endpoint_mode: dnsrr
                          labels: {team: blue}
                          resources:
                            limits: {cpus: "0.5", memory: 64M}
                            reservations: {memory: 16M}
                          restart_policy: {condition: on-failure, delay: 5s, max_attempts: 3, window: 1m}
                          placement: {constraints: ["node.role==manager"], max_replicas_per_node: 1}
                          update_config: {parallelism: 1, delay: 1s, failure_action: rollback, monitor: 5s, max_failure_ratio: 0.1, order: start-first}
                          rollback_config: {failure_action: pause, order: stop-first}
                    networks:
                      backend: {attachable: true, labels: {purpose: api}}
                    volumes:
                      data: {labels: {keep: "yes"}}
                    """.formatted(TestSwarm.BUSYBOX, HOST_PORT + 1));
            Process deploy = new ProcessBuilder("docker", "stack", "deploy", "--resolve-image", "never", "-c",
                    file.toString(), cli.namespace()).redirectErrorStream(true).start();
            String output = new String(deploy.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(deploy.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(deploy.exitValue()).as(output).isZero();

            StackDefinition definition = withoutFilesAndPidsAndPreferences(fullDefinition(), HOST_PORT);
            StackResources resources = new StackConverter(new ConvertOptions("/it/convert", Fixtures.NO_IPVS))
                    .convert(ours.namespace(), definition).resources();
            createObjects(ours.docker(), resources);

            ServiceSpec mine = ours.docker().inspectServiceCmd(ours.namespace() + "_web").exec().getSpec();
            ServiceSpec theirs = cli.docker().inspectServiceCmd(cli.namespace() + "_web").exec().getSpec();
            ContainerSpec a = mine.getTaskTemplate().getContainerSpec();
            ContainerSpec b = theirs.getTaskTemplate().getContainerSpec();

            assertThat(withoutOurs(mine.getLabels(), ours.namespace()))
                    .isEqualTo(withoutOurs(theirs.getLabels(), cli.namespace()));
            assertThat(withoutOurs(a.getLabels(), ours.namespace())).isEqualTo(withoutOurs(b.getLabels(), cli.namespace()));
            assertThat(a.getImage()).isEqualTo(b.getImage());
            assertThat(a.getCommand()).isEqualTo(b.getCommand());
            assertThat(a.getArgs()).isEqualTo(b.getArgs());
            assertThat(a.getEnv()).isEqualTo(b.getEnv());
            assertThat(a.getUser()).isEqualTo(b.getUser());
            assertThat(a.getDir()).isEqualTo(b.getDir());
            assertThat(a.getHostname()).isEqualTo(b.getHostname());
            assertThat(a.getHosts()).isEqualTo(b.getHosts());
            assertThat(a.getStopGracePeriod()).isEqualTo(b.getStopGracePeriod());
            assertThat(a.getStopSignal()).isEqualTo(b.getStopSignal());
            assertThat(a.getHealthCheck()).isEqualTo(b.getHealthCheck());
            assertThat(mounts(a, ours.namespace())).isEqualTo(mounts(b, cli.namespace()));
            assertThat(mine.getTaskTemplate().getResources()).isEqualTo(theirs.getTaskTemplate().getResources());
            assertThat(mine.getTaskTemplate().getRestartPolicy()).isEqualTo(theirs.getTaskTemplate().getRestartPolicy());
            assertThat(mine.getTaskTemplate().getPlacement().getConstraints())
                    .isEqualTo(theirs.getTaskTemplate().getPlacement().getConstraints());
            assertThat(mine.getTaskTemplate().getPlacement().getMaxReplicas())
                    .isEqualTo(theirs.getTaskTemplate().getPlacement().getMaxReplicas());
            assertThat(mine.getTaskTemplate().getNetworks()).extracting(NetworkAttachmentConfig::getAliases)
                    .isEqualTo(theirs.getTaskTemplate().getNetworks().stream().map(NetworkAttachmentConfig::getAliases).toList());
            assertThat(mine.getMode()).isEqualTo(theirs.getMode());
            assertThat(mine.getUpdateConfig()).isEqualTo(theirs.getUpdateConfig());
            assertThat(mine.getRollbackConfig()).isEqualTo(theirs.getRollbackConfig());
            assertThat(mine.getEndpointSpec().getMode()).isEqualTo(theirs.getEndpointSpec().getMode());
            assertThat(mine.getEndpointSpec().getPorts()).usingRecursiveFieldByFieldElementComparatorIgnoringFields("publishedPort")
                    .isEqualTo(theirs.getEndpointSpec().getPorts());
            assertThat(ours.docker().inspectNetworkCmd().withNetworkId(ours.namespace() + "_backend").exec().isAttachable())
                    .isEqualTo(cli.docker().inspectNetworkCmd().withNetworkId(cli.namespace() + "_backend").exec().isAttachable());

            ours.removeAll();
            cli.removeAll();
            assertThat(ours.leftovers()).isEmpty();
            assertThat(cli.leftovers()).isEmpty();
        }
    }

    /** The file for the CLI has no configs, secrets, pids or placement preferences: keep the comparison like for like. */
    private static StackDefinition withoutFilesAndPidsAndPreferences(StackDefinition full, int port) {
        var web = full.services().get("web");
        Deploy d = web.deploy();
        Deploy deploy = new Deploy(d.mode(), d.replicas(),
                new Resources(new ResourceAmount(500_000_000L, 64L * 1024 * 1024, null), d.resources().reservations()),
                d.restartPolicy(), new Placement(d.placement().constraints(), List.of(), d.placement().maxReplicasPerNode()),
                d.updateConfig(), d.rollbackConfig(), d.endpointMode(), d.labels());
        var stripped = new org.ailtire.definition.ServiceDefinition(web.name(), web.image(), web.command(), web.entrypoint(),
                web.environment(), web.labels(), deploy, List.of(new Port(80, port, Port.Protocol.TCP, Port.PublishMode.HOST)),
                web.networks(), web.volumes(), List.of(), List.of(), web.healthcheck(), web.stopGracePeriod(),
                web.stopSignal(), web.user(), web.workingDir(), web.hostname(), web.extraHosts(), Map.of());
        return new StackDefinition(Map.of("web", stripped), full.networks(), full.volumes(), Map.of(), Map.of(), Map.of());
    }

    private static Map<String, String> withoutOurs(Map<String, String> labels, String namespace) {
        return labels.entrySet().stream()
                .filter(e -> !e.getKey().startsWith("org.ailtire."))
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().replace(namespace, "NS")));
    }

    private static List<String> mounts(ContainerSpec container, String namespace) {
        return container.getMounts().stream().map(m -> m.getType() + " " + m.getSource() + " " + m.getTarget() + " "
                        + m.getReadOnly() + " " + (m.getVolumeOptions() == null ? "-"
                        : withoutOurs(m.getVolumeOptions().getLabels(), namespace)))
                .map(s -> s.replace(namespace, "NS")).toList();
    }

    /**
     * A Compose file using every key docker's converter maps (bar those this single node cannot run, below), a
     * replicated-job among its services, deployed by {@code docker stack deploy} and by our loader, converter and
     * applier: the engine's raw JSON of every service spec is compared field by field. Normalised, as they must
     * differ: the namespace in names and labels, our own {@code org.ailtire.*} labels, network ids (compared by
     * name), and objects with only null or empty members. Endpoint modes are set: without IPVS (here) ours default to
     * dnsrr, docker's to vip (see NetworkingDefaults). (docker always sends an empty Placement, Resources and
     * Privileges; leaving them out means the same to the engine and keeps the spec hashes of deployed services).
     * Left out of the file: {@code generic_resources} and {@code credential_spec} (no node here has a GPU or runs
     * Windows, so the tasks would never run; their JSON is covered by ComposeKeyConversionTest).
     */
    @Test
    void rawEngineJsonMatchesDockerStackDeployForEveryKey(@TempDir Path dir) throws Exception {
        String yaml = """
                version: "3.9"
                services:
                  web:
                    image: %1$s
                    command: ["sleep", "3600"]
                    labels: {tier: front}
                    cap_add: [net_admin, SYS_TIME]
                    cap_drop: [MKNOD]
                    sysctls: {net.core.somaxconn: "1024"}
                    ulimits: {nproc: 4096, nofile: {soft: 1024, hard: 2048}}
                    init: true
                    read_only: true
                    tty: true
                    stdin_open: true
                    isolation: default
                    dns: [10.0.0.2]
                    dns_search: [example.org]
                    hostname: web-host
                    extra_hosts: ["db.local:10.0.0.5"]
                    stop_signal: SIGTERM
                    stop_grace_period: 5s
                    logging: {driver: json-file, options: {max-size: 10m}}
                    healthcheck: {test: ["CMD", "true"], interval: 5s, timeout: 2s, retries: 3, start_period: 1s}
                    deploy:
                      replicas: 1
                      endpoint_mode: dnsrr
                      labels: {team: blue}
                      resources:
                        limits: {cpus: "0.5", memory: 64M, pids: 100}
                        reservations: {cpus: "0.01", memory: 8M}
                      restart_policy: {condition: on-failure, delay: 1s, max_attempts: 3, window: 10s}
                      placement:
                        constraints: ["node.role==manager"]
                        preferences: [{spread: node.labels.zone}]
                        max_replicas_per_node: 1
                      update_config: {parallelism: 2, delay: 1s, failure_action: rollback, monitor: 5s, max_failure_ratio: 0.1, order: start-first}
                      rollback_config: {parallelism: 1, failure_action: pause, order: stop-first}
                  migrate:
                    image: %1$s
                    command: ["true"]
                    restart: on-failure:2
                    deploy: {mode: replicated-job, replicas: 2, endpoint_mode: dnsrr}
                  healthless:
                    image: %1$s
                    command: ["sleep", "3600"]
                    healthcheck: {disable: true}
                    deploy: {mode: global, endpoint_mode: dnsrr}
                """.formatted(TestSwarm.BUSYBOX);
        try (TestSwarm ours = TestSwarm.create("raw-ours"); TestSwarm cli = TestSwarm.create("raw-cli")) {
            try {
                Path file = dir.resolve("stack.yml");
                Files.writeString(file, yaml);
                Process deploy = new ProcessBuilder("docker", "stack", "deploy", "--resolve-image", "never", "-c",
                        file.toString(), cli.namespace()).redirectErrorStream(true).start();
                String output = new String(deploy.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(deploy.waitFor(60, TimeUnit.SECONDS)).isTrue();
                assertThat(deploy.exitValue()).as(output).isZero();

                var loaded = new org.ailtire.definition.DefinitionLoader(dir).load(yaml, Map.of());
                StackResources resources = new StackConverter(new ConvertOptions("/it/raw", Fixtures.NO_IPVS))
                        .convert(ours.namespace(), loaded.definition()).resources();
                new org.ailtire.swarm.apply.StackApplier(ours.docker(), org.ailtire.swarm.apply.ApplyOptions.DEFAULT
                        .withConvergenceTimeout(Duration.ofSeconds(90)).withStabilityWindow(Duration.ofSeconds(1)))
                        .apply(resources, event -> { });

                List<String> differences = new java.util.ArrayList<>();
                int[] compared = {0};
                for (String key : List.of("web", "migrate", "healthless")) {
                    JsonNode mine = normalised(ours, rawService(ours.namespace() + "_" + key).path("Spec"));
                    JsonNode theirs = normalised(cli, rawService(cli.namespace() + "_" + key).path("Spec"));
                    compare(key, mine, theirs, differences, compared);
                }
                System.out.println("[raw-compare] " + compared[0] + " fields compared, " + differences.size() + " differences");
                assertThat(differences).isEmpty();
                assertThat(compared[0]).isGreaterThan(60);
            } finally {
                ours.removeAll();
                cli.removeAll();
            }
            assertThat(ours.leftovers()).isEmpty();
            assertThat(cli.leftovers()).isEmpty();
        }
    }

    /** The spec without what must differ between two namespaces (see the test above). */
    private static JsonNode normalised(TestSwarm swarm, JsonNode spec) {
        Map<String, String> networkNames = new HashMap<>();
        swarm.docker().listNetworksCmd().exec().forEach(n -> networkNames.put(n.getId(), n.getName()));
        return normalise(spec, swarm.namespace(), networkNames);
    }

    private static JsonNode normalise(JsonNode node, String namespace, Map<String, String> networkNames) {
        var json = new ObjectMapper();
        if (node.isObject()) {
            var result = json.createObjectNode();
            node.fields().forEachRemaining(field -> {
                if (field.getKey().startsWith("org.ailtire.")) {
                    return;
                }
                JsonNode value = normalise(field.getValue(), namespace, networkNames);
                boolean empty = value.isNull() || value.isObject() && value.isEmpty();
                if (!empty) {
                    result.set(field.getKey(), value);
                }
            });
            return result;
        }
        if (node.isArray()) {
            var result = json.createArrayNode();
            node.forEach(item -> result.add(normalise(item, namespace, networkNames)));
            return result;
        }
        if (node.isTextual()) {
            String text = networkNames.getOrDefault(node.asText(), node.asText());
            return json.getNodeFactory().textNode(text.replace(namespace, "NS"));
        }
        return node;
    }

    private static void compare(String path, JsonNode mine, JsonNode theirs, List<String> differences, int[] compared) {
        if (mine.isObject() && theirs.isObject()) {
            java.util.Set<String> names = new java.util.TreeSet<>();
            mine.fieldNames().forEachRemaining(names::add);
            theirs.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                compare(path + "." + name, mine.path(name), theirs.path(name), differences, compared);
            }
        } else if (mine.isArray() && theirs.isArray() && mine.size() == theirs.size()) {
            for (int i = 0; i < mine.size(); i++) {
                compare(path + "[" + i + "]", mine.get(i), theirs.get(i), differences, compared);
            }
        } else {
            compared[0]++;
            if (!mine.equals(theirs)) {
                differences.add(path + ": ours " + mine + ", docker's " + theirs);
            }
        }
    }
}
