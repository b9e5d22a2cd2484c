package org.ailtire.swarm.observe;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TaskResyncTest {
    private static final TaskResync RESYNC = new TaskResync(Duration.ofSeconds(1), Duration.ofMillis(250));
    private static final String HERE = "manager-node";
    private static final String THERE = "worker-node";

    @Test
    void aStackSettledOnTheControllersNodeIsNeverReadWithoutAnEvent() {
        var services = List.of(service("web", 1, task("t1", HERE, "running", "running")));

        assertThat(RESYNC.next(services, HERE)).isEmpty();
        assertThat(RESYNC.silentServices(services, HERE)).isEmpty();
    }

    @Test
    void settledTasksOnAnotherNodeAreReadAtTheSteadyPace() {
        var services = List.of(service("web", 1, task("t1", HERE, "running", "running")),
                service("api", 1, task("t2", THERE, "running", "running")));

        assertThat(RESYNC.next(services, HERE)).contains(Duration.ofSeconds(1));
        assertThat(RESYNC.silentServices(services, HERE)).containsExactly("api");
    }

    @Test
    void aRemoteTaskBetweenStatesIsReadAtTheTransitionPace() {
        var starting = List.of(service("api", 1, task("t2", THERE, "starting", "running")));
        var stopping = List.of(service("api", 1, task("t3", THERE, "running", "running"),
                task("t2", THERE, "running", "shutdown")));

        assertThat(RESYNC.next(starting, HERE)).contains(Duration.ofMillis(250));
        assertThat(RESYNC.next(stopping, HERE)).contains(Duration.ofMillis(250));
    }

    @Test
    void aServiceShortOfItsReplicasIsReadWhereverItsNextTaskMayGo() {
        var failedHere = List.of(service("api", 1, task("t1", HERE, "failed", "shutdown")));
        var unassigned = List.of(service("api", 1, task("t1", null, "pending", "running")));

        assertThat(RESYNC.silentServices(failedHere, HERE)).containsExactly("api");
        assertThat(RESYNC.next(failedHere, HERE)).contains(Duration.ofMillis(250));
        assertThat(RESYNC.next(unassigned, HERE)).contains(Duration.ofMillis(250));
    }

    @Test
    void finishedTasksOnAnotherNodeNeedNoReading() {
        var services = List.of(service("api", 1, task("t2", HERE, "running", "running"),
                task("t1", THERE, "shutdown", "shutdown"), task("t0", THERE, "failed", "shutdown")));

        assertThat(RESYNC.next(services, HERE)).isEmpty();
    }

    @Test
    void withoutKnowingItsOwnNodeTheObserverReadsEveryService() {
        var services = List.of(service("web", 1, task("t1", HERE, "running", "running")));

        assertThat(RESYNC.silentServices(services, null)).containsExactly("web");
        assertThat(RESYNC.next(services, null)).contains(Duration.ofSeconds(1));
    }

    @Test
    void intervalsMustBePositive() {
        assertThatThrownBy(() -> new TaskResync(Duration.ZERO, Duration.ofMillis(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static ServiceState service(String id, long replicas, TaskInfo... tasks) {
        int running = (int) List.of(tasks).stream()
                .filter(t -> "running".equals(t.state()) && "running".equals(t.desiredState())).count();
        return new ServiceState(id, "ns_" + id, id, "img", replicas, running, List.of(tasks), null, null,
                Instant.EPOCH, Map.of());
    }

    private static TaskInfo task(String id, String node, String state, String desired) {
        return new TaskInfo(id, 1, node, state, desired, "", null, null, Instant.EPOCH);
    }
}
