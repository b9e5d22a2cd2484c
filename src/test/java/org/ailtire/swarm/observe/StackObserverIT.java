package org.ailtire.swarm.observe;

import com.github.dockerjava.api.DockerClient;
import org.ailtire.swarm.DockerClients;
import org.ailtire.swarm.testsupport.BusyboxService;
import org.ailtire.swarm.testsupport.TestSwarm;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@Tag("integration")
class StackObserverIT {
    private static final String LOOP = "while true; do sleep 1; done";
    private static final Duration WAIT = Duration.ofSeconds(60);

    private final TestSwarm swarm = TestSwarm.create("observe");
    private final List<StackState> seen = new CopyOnWriteArrayList<>();

    @AfterEach
    void cleanUp() {
        try {
            swarm.removeAll();
            assertThat(swarm.leftovers()).isEmpty();
        } finally {
            swarm.close();
        }
    }

    @Test
    void followsTheStackThroughFailureScalingAndRemoval() throws Exception {
        String apiId = BusyboxService.create(swarm, "api", 1, LOOP);
        BusyboxService.create(swarm, "worker", 2, LOOP);

        try (StackObserver observer = new StackObserver(swarm.docker(), swarm.namespace())) {
            observer.subscribe(seen::add);
            observer.start();

            StackState initial = observer.state();
            assertThat(initial.namespace()).isEqualTo(swarm.namespace());
            assertThat(initial.connected()).isTrue();
            assertThat(initial.services()).containsOnlyKeys("api", "worker");
            ServiceState api = initial.services().get("api");
            assertThat(api.id()).isEqualTo(apiId);
            assertThat(api.name()).isEqualTo(swarm.namespace() + "_api");
            assertThat(api.image()).startsWith(TestSwarm.BUSYBOX);
            assertThat(api.desiredReplicas()).isEqualTo(1L);
            assertThat(initial.services().get("worker").desiredReplicas()).isEqualTo(2L);

            awaitSeen(s -> running(s, "api") == 1 && running(s, "worker") == 2);
            TaskInfo task = observer.state().services().get("api").tasks().stream()
                    .filter(t -> "running".equals(t.state())).findFirst().orElseThrow();
            assertThat(task.slot()).isEqualTo(1);
            assertThat(task.desiredState()).isEqualTo("running");
            assertThat(task.containerId()).isNotBlank();
            assertThat(task.nodeId()).isNotBlank();
            assertThat(task.timestamp()).isNotNull();

            seen.clear();
            swarm.docker().killContainerCmd(task.containerId()).exec();
            awaitSeen(s -> s.services().get("api").tasks().stream()
                    .anyMatch(t -> t.id().equals(task.id()) && "failed".equals(t.state())));
            awaitSeen(s -> running(s, "api") == 1 && s.services().get("api").tasks().stream()
                    .anyMatch(t -> "running".equals(t.state()) && !t.id().equals(task.id())));
            StackState afterRestart = observer.state();
            assertThat(afterRestart.services().get("api").tasks()).extracting(TaskInfo::id).contains(task.id());
            assertThat(afterRestart.version()).isGreaterThan(initial.version());

            String workerId = afterRestart.services().get("worker").id();
            BusyboxService.scale(swarm, workerId, 3);
            awaitSeen(s -> s.services().get("worker").desiredReplicas() == 3 && running(s, "worker") == 3);

            swarm.docker().removeServiceCmd(apiId).exec();
            awaitSeen(s -> !s.services().containsKey("api") && s.services().containsKey("worker"));
        }
    }

    @Test
    void reconnectsAfterTheEngineConnectionBreaksAndSeesChangesMadeMeanwhile() throws Exception {
        String workerId = BusyboxService.create(swarm, "worker", 1, LOOP);

        try (UnixSocketRelay relay = new UnixSocketRelay(Path.of("/var/run/docker.sock"));
             DockerClient relayed = DockerClients.connect(relay.uri());
             StackObserver observer = new StackObserver(relayed, swarm.namespace())) {
            observer.subscribe(seen::add);
            observer.start();
            awaitSeen(s -> running(s, "worker") == 1);

            relay.cut();
            awaitSeen(s -> !s.connected());
            BusyboxService.scale(swarm, workerId, 2);
            await().atMost(WAIT).until(() -> swarm.docker().listTasksCmd().withServiceFilter(workerId).exec().stream()
                    .filter(t -> t.getStatus().getState() == com.github.dockerjava.api.model.TaskState.RUNNING).count() == 2);
            assertThat(observer.state().connected()).isFalse();
            assertThat(observer.state().services().get("worker").desiredReplicas()).isEqualTo(1L);

            relay.restore();
            awaitSeen(s -> s.connected() && s.services().get("worker").desiredReplicas() == 2 && running(s, "worker") == 2);

            // Still following events after the reconnect.
            BusyboxService.scale(swarm, workerId, 1);
            awaitSeen(s -> s.connected() && running(s, "worker") == 1 && s.services().get("worker").desiredReplicas() == 1);
        }
    }

    private void awaitSeen(Predicate<StackState> condition) {
        await().atMost(WAIT).until(() -> seen.stream().anyMatch(condition));
    }

    private static int running(StackState state, String key) {
        ServiceState s = state.services().get(key);
        return s == null ? -1 : s.running();
    }
}
