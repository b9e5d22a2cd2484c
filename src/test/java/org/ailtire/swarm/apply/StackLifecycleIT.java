package org.ailtire.swarm.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.model.Network;
import com.github.dockerjava.api.model.Service;
import com.github.dockerjava.api.model.Task;
import com.github.dockerjava.api.model.TaskState;
import org.ailtire.definition.DefinitionLoader;
import org.ailtire.swarm.convert.ConvertOptions;
import org.ailtire.swarm.convert.NetworkingDefaults;
import org.ailtire.swarm.convert.StackConverter;
import org.ailtire.swarm.convert.StackResources;
import org.ailtire.swarm.drift.Drift;
import org.ailtire.swarm.drift.EngineObjects;
import org.ailtire.swarm.logs.LogLine;
import org.ailtire.swarm.logs.LogQuery;
import org.ailtire.swarm.logs.ServiceLogs;
import org.ailtire.swarm.testsupport.TestSwarm;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The stack engine end to end on the real engine: deploy a 3-service stack, update one service, fail an update
 * and get the previous definition back (every field of the engine's spec), read stdout and stderr separately, and
 * remove with nothing left.
 */
@Tag("integration")
class StackLifecycleIT {
    private static final String DEFINITION = """
            services:
              web:
                image: ailtire/busybox:local
                command: ["sh", "-c", "echo web-out $$GREETING; echo web-err >&2; while true; do sleep 1; done"]
                environment:
                  GREETING: ${GREETING:-hello}
                networks: [backend]
                stop_grace_period: 1s
              api:
                image: ailtire/busybox:local
                command: ["sh", "-c", "echo api-out; echo api-err >&2; while true; do sleep 1; done"]
                networks:
                  backend:
                    aliases: [service-api]
                stop_grace_period: 1s
              worker:
                image: ailtire/busybox:local
                command: ${WORKER_COMMAND:-sh -c 'while true; do sleep 1; done'}
                networks: [backend]
                stop_grace_period: 1s
                deploy:
                  restart_policy: {condition: any, delay: 1s}
                  update_config: {failure_action: rollback, monitor: 4s}
            networks:
              backend:
                driver: overlay
            """;

    private final TestSwarm swarm = TestSwarm.create("lifecycle");
    private final StackApplier applier = new StackApplier(swarm.docker(),
            ApplyOptions.DEFAULT.withConvergenceTimeout(Duration.ofSeconds(90)).withStabilityWindow(Duration.ofSeconds(2)));
    private final List<ApplyEvent> events = new ArrayList<>();

    @AfterEach
    void cleanUp() {
        swarm.close();
    }

    @Test
    void deploysUpdatesRollsBackLogsAndRemoves() throws Exception {
        ApplyResult first = applier.apply(resources(Map.of()), events::add);
        assertThat(first.created()).containsExactlyInAnyOrder("web", "api", "worker");
        Map<String, Service> deployed = services();
        assertThat(deployed).containsOnlyKeys(name("web"), name("api"), name("worker"));
        assertThat(deployed.values()).allSatisfy(s -> assertThat(runningTasks(s)).hasSize(1));
        Network backend = swarm.docker().inspectNetworkCmd().withNetworkId(name("backend")).exec();
        assertThat(backend.getDriver()).isEqualTo("overlay");
        assertThat(backend.getLabels()).containsEntry("com.docker.stack.namespace", swarm.namespace());
        assertThat(dockerStackServices()).contains(name("web"), name("api"), name("worker"));

        // An environment change rolls web only.
        Map<String, Set<String>> tasksBefore = taskIdsByService();
        ApplyResult second = applier.apply(resources(Map.of("GREETING", "bonjour")), events::add);
        assertThat(second.updated()).containsExactly("web");
        assertThat(second.unchanged()).containsExactlyInAnyOrder("api", "worker");
        Map<String, Service> afterUpdate = services();
        assertThat(afterUpdate.get(name("web")).getSpec().getTaskTemplate().getContainerSpec().getEnv())
                .contains("GREETING=bonjour");
        assertThat(afterUpdate.get(name("api")).getVersion().getIndex())
                .isEqualTo(deployed.get(name("api")).getVersion().getIndex());
        assertThat(afterUpdate.get(name("worker")).getVersion().getIndex())
                .isEqualTo(deployed.get(name("worker")).getVersion().getIndex());
        Map<String, Set<String>> tasksAfter = taskIdsByService();
        assertThat(tasksAfter.get(name("api"))).isEqualTo(tasksBefore.get(name("api")));
        assertThat(tasksAfter.get(name("worker"))).isEqualTo(tasksBefore.get(name("worker")));
        assertThat(tasksAfter.get(name("web"))).isNotEqualTo(tasksBefore.get(name("web")));

        // A worker that cannot start, plus a changed web: the whole stack goes back to the second definition.
        Map<String, Service> beforeFailure = services();
        assertThatThrownBy(() -> applier.apply(resources(Map.of("GREETING", "hola", "WORKER_COMMAND", "sh -c 'exit 3'")),
                events::add))
                .isInstanceOfSatisfying(ApplyException.class, e -> {
                    assertThat(e.rolledBack()).isTrue();
                    assertThat(e.getMessage()).contains("worker").contains("rolled back");
                });
        Map<String, Service> afterRollback = services();
        for (String key : List.of("web", "api", "worker")) {
            assertThat(afterRollback.get(name(key)).getSpec().getTaskTemplate().getContainerSpec())
                    .as(key).isEqualTo(beforeFailure.get(name(key)).getSpec().getTaskTemplate().getContainerSpec());
        }
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(services().values()).allSatisfy(s -> assertThat(runningTasks(s)).hasSize(1)));
        assertThat(events).anySatisfy(e -> assertThat(e.phase()).isEqualTo(ApplyEvent.Phase.ROLLBACK));

        // stdout and stderr arrive separately.
        ServiceLogs logs = new ServiceLogs(swarm.docker());
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            List<LogLine> web = logs.read(name("web"), LogQuery.all());
            assertThat(texts(web, LogLine.Stream.STDOUT)).contains("web-out bonjour").doesNotContain("web-err");
            assertThat(texts(web, LogLine.Stream.STDERR)).contains("web-err").doesNotContain("web-out bonjour");
            List<LogLine> api = logs.read(name("api"), LogQuery.all().onlyStderr());
            assertThat(texts(api, LogLine.Stream.STDERR)).contains("api-err");
            assertThat(api).allSatisfy(line -> assertThat(line.stream()).isEqualTo(LogLine.Stream.STDERR));
        });

        applier.remove(swarm.namespace(), events::add);
        assertThat(swarm.leftovers()).isEmpty();
        assertThat(dockerStackServices()).doesNotContain(name("web")).doesNotContain(name("api"))
                .doesNotContain(name("worker"));
    }

    @Test
    void aRollbackPutsBackEveryFieldOfThePreviousSpecEvenThoseDockerJavaLacks() throws Exception {
        String definition = """
                services:
                  tuned:
                    image: ailtire/busybox:local
                    command: ["sh", "-c", "echo $$GREETING; while true; do sleep 1; done"]
                    environment:
                      GREETING: ${GREETING:-hello}
                    cap_add: [NET_ADMIN]
                    cap_drop: [MKNOD]
                    sysctls:
                      net.core.somaxconn: 1024
                    ulimits:
                      nofile: {soft: 512, hard: 1024}
                    init: true
                    stop_grace_period: 1s
                    deploy:
                      placement:
                        preferences:
                          - spread: node.labels.zone
                      resources:
                        limits: {pids: 100}
                  worker:
                    image: ailtire/busybox:local
                    command: ${WORKER_COMMAND:-sh -c 'while true; do sleep 1; done'}
                    stop_grace_period: 1s
                    deploy:
                      restart_policy: {condition: any, delay: 1s}
                """;
        applier.apply(convert(definition, Map.of()), events::add);
        String tuned = services().get(name("tuned")).getId();
        JsonNode before = RawServiceSpec.read(swarm.docker(), tuned).spec();
        assertThat(before.at("/TaskTemplate/Placement/Preferences")).as("preferences reached the engine").hasSize(1);

        assertThatThrownBy(() -> applier.apply(convert(definition,
                Map.of("GREETING", "bonjour", "WORKER_COMMAND", "sh -c 'exit 3'")), events::add))
                .isInstanceOfSatisfying(ApplyException.class, e -> assertThat(e.rolledBack()).isTrue());

        JsonNode after = RawServiceSpec.read(swarm.docker(), tuned).spec();
        assertThat(after.at("/TaskTemplate/ContainerSpec/Env").toString()).contains("GREETING=hello");
        assertThat(after).isEqualTo(before);
        applier.remove(swarm.namespace(), events::add);
        assertThat(swarm.leftovers()).isEmpty();
    }

    @Test
    void aChangeBehindOurBackToAFieldDockerJavaLacksIsSeenAsDrift() throws Exception {
        applier.apply(convert("""
                services:
                  spread:
                    image: ailtire/busybox:local
                    command: ["sh", "-c", "while true; do sleep 1; done"]
                    stop_grace_period: 1s
                """, Map.of()), events::add);
        EngineObjects produced = EngineObjects.read(swarm.docker(), swarm.namespace());
        assertThat(Drift.between(produced, EngineObjects.read(swarm.docker(), swarm.namespace())).differences())
                .isEmpty();

        docker("service", "update", "--detach", "--placement-pref-add", "spread=node.labels.rack", name("spread"));

        assertThat(Drift.between(produced, EngineObjects.read(swarm.docker(), swarm.namespace())).differences())
                .singleElement().satisfies(d -> assertThat(d.toString()).contains("spread").contains("TaskTemplate.Placement"));
        applier.remove(swarm.namespace(), events::add);
        assertThat(swarm.leftovers()).isEmpty();
    }

    @Test
    void removingServicesFromTheDefinitionPrunesThemAndTheirNetwork() throws Exception {
        applier.apply(resources(Map.of()), events::add);
        String onlyApi = """
                services:
                  api:
                    image: ailtire/busybox:local
                    command: ["sh", "-c", "echo api-out; echo api-err >&2; while true; do sleep 1; done"]
                    networks:
                      backend:
                        aliases: [service-api]
                    stop_grace_period: 1s
                networks:
                  backend:
                    driver: overlay
                """;
        ApplyResult result = applier.apply(convert(onlyApi, Map.of()), events::add);
        assertThat(result.removed()).containsExactlyInAnyOrder("web", "worker");
        assertThat(result.unchanged()).containsExactly("api");
        assertThat(services()).containsOnlyKeys(name("api"));
        applier.remove(swarm.namespace(), events::add);
        assertThat(swarm.leftovers()).isEmpty();
    }

    @Test
    void aStackThatNeverConvergesIsRemovedAgainOnFirstDeploy() {
        String broken = """
                services:
                  crashing:
                    image: ailtire/busybox:local
                    command: ["sh", "-c", "exit 1"]
                    deploy:
                      restart_policy: {condition: any, delay: 1s}
                """;
        assertThatThrownBy(() -> applier.apply(convert(broken, Map.of()), events::add))
                .isInstanceOfSatisfying(ApplyException.class, e -> {
                    assertThat(e.rolledBack()).isTrue();
                    assertThat(e.getMessage()).contains("crashing").contains("failed");
                });
        assertThat(swarm.leftovers()).isEmpty();
    }

    private StackResources resources(Map<String, String> variables) throws Exception {
        return convert(DEFINITION, variables);
    }

    private StackResources convert(String yaml, Map<String, String> variables) throws Exception {
        var definition = new DefinitionLoader(null).load(yaml, variables).definition();
        var converter = new StackConverter(new ConvertOptions("/" + swarm.namespace(),
                new NetworkingDefaults(NetworkingDefaults.EndpointModeSetting.DNSRR, false)));
        return converter.convert(swarm.namespace(), definition).resources();
    }

    private String name(String key) {
        return swarm.namespace() + "_" + key;
    }

    private Map<String, Service> services() {
        return swarm.docker().listServicesCmd().withLabelFilter(swarm.namespaceLabel()).exec().stream()
                .collect(Collectors.toMap(s -> s.getSpec().getName(), s -> s));
    }

    private List<Task> runningTasks(Service service) {
        return swarm.docker().listTasksCmd().withServiceFilter(service.getId()).exec().stream()
                .filter(t -> t.getDesiredState() == TaskState.RUNNING && t.getStatus().getState() == TaskState.RUNNING)
                .toList();
    }

    private Map<String, Set<String>> taskIdsByService() {
        return services().values().stream().collect(Collectors.toMap(s -> s.getSpec().getName(),
                s -> runningTasks(s).stream().map(Task::getId).collect(Collectors.toSet())));
    }

    private static List<String> texts(List<LogLine> lines, LogLine.Stream stream) {
        return lines.stream().filter(l -> l.stream() == stream).map(LogLine::text).toList();
    }

    private static void docker(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("docker"));
        command.addAll(List.of(arguments));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
    }

    /** What the docker CLI sees of our stack: proof that `docker stack` commands work on it. */
    private String dockerStackServices() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("docker", "stack", "services", "--format", "{{.Name}}", swarm.namespace())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return out;
    }
}
