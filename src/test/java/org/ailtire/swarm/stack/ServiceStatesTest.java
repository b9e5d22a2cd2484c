package org.ailtire.swarm.stack;

import org.ailtire.stack.Status.Placement;
import org.ailtire.stack.Status.State;
import org.ailtire.swarm.observe.NodeInfo;
import org.ailtire.swarm.observe.ServiceState;
import org.ailtire.swarm.observe.TaskInfo;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ServiceStatesTest {
    private static final Instant NOW = Instant.parse("2025-01-01T00:00:10Z");

    @Test
    void allWantedReplicasRunningIsRunning() {
        assertThat(ServiceStates.of(replicated(2, 2, List.of(task("running", "running", 0), task("running", "running", 1)))))
                .isEqualTo(State.RUNNING);
    }

    @Test
    void fewerRunningWithoutFailuresIsStarting() {
        assertThat(ServiceStates.of(replicated(2, 1, List.of(task("starting", "running", 0), task("running", "running", 1)))))
                .isEqualTo(State.STARTING);
        assertThat(ServiceStates.of(replicated(1, 0, List.of()))).isEqualTo(State.STARTING);
    }

    @Test
    void newestTaskFailedIsFailed() {
        // Newest first: the replacement failed after an older task was shut down.
        ServiceState service = replicated(1, 0, List.of(task("failed", "shutdown", 0), task("shutdown", "shutdown", 1)));

        assertThat(ServiceStates.of(service)).isEqualTo(State.FAILED);
    }

    @Test
    void olderFailedTaskThatWasReplacedIsStillStarting() {
        ServiceState service = replicated(1, 0, List.of(task("preparing", "running", 0), task("failed", "shutdown", 1)));

        assertThat(ServiceStates.of(service)).isEqualTo(State.STARTING);
    }

    @Test
    void updateInProgressIsUpdatingEvenWhenAllRun() {
        assertThat(ServiceStates.of(withUpdate(replicated(1, 1, List.of(task("running", "running", 0))), "updating")))
                .isEqualTo(State.UPDATING);
        assertThat(ServiceStates.of(withUpdate(replicated(1, 0, List.of()), "rollback_started")))
                .isEqualTo(State.UPDATING);
        assertThat(ServiceStates.of(withUpdate(replicated(1, 1, List.of(task("running", "running", 0))), "completed")))
                .isEqualTo(State.RUNNING);
    }

    @Test
    void zeroReplicasIsStopped() {
        assertThat(ServiceStates.of(replicated(0, 0, List.of(task("shutdown", "shutdown", 0))))).isEqualTo(State.STOPPED);
    }

    @Test
    void globalServiceRunsWhenItsTasksRunAndStartsWhenNoneRunsYet() {
        assertThat(ServiceStates.of(global(3, List.of(task("running", "running", 0))))).isEqualTo(State.RUNNING);
        assertThat(ServiceStates.of(global(0, List.of(task("assigned", "running", 0))))).isEqualTo(State.STARTING);
        assertThat(ServiceStates.of(global(0, List.of(task("rejected", "running", 0))))).isEqualTo(State.FAILED);
    }

    @Test
    void aTaskNoNodeCanTakeSaysWhy() {
        TaskInfo pending = new TaskInfo("t0", 1, null, "pending", "running", "pending task scheduling",
                "no suitable node (scheduling constraints not satisfied on 3 nodes)", null, NOW);

        assertThat(ServiceStates.unplaced(replicated(1, 0, List.of(pending))))
                .contains("not placed: no suitable node (scheduling constraints not satisfied on 3 nodes)");
        assertThat(ServiceStates.unplaced(replicated(1, 1, List.of(task("running", "running", 0))))).isEmpty();
    }

    @Test
    void jobRunsWhileATaskRunsIsCompletedOnceItsTasksCompletedAndFailedWhenATaskGaveUp() {
        assertThat(ServiceStates.of(global(1, List.of(task("running", "complete", 0))))).isEqualTo(State.RUNNING);
        assertThat(ServiceStates.of(global(0, List.of(task("preparing", "complete", 0))))).isEqualTo(State.STARTING);
        assertThat(ServiceStates.of(global(0, List.of(task("complete", "complete", 0))))).isEqualTo(State.COMPLETED);
        // Newest first in one slot: a retry completed after a failure.
        assertThat(ServiceStates.of(global(0, List.of(task("complete", "complete", 0), task("failed", "complete", 1)))))
                .isEqualTo(State.COMPLETED);
        assertThat(ServiceStates.of(global(0, List.of(task("failed", "complete", 0), task("failed", "complete", 1)))))
                .isEqualTo(State.FAILED);
    }

    @Test
    void placementCountsTheRunningTasksOfEachNodeByHostName() {
        Map<String, NodeInfo> nodes = Map.of(
                "n1", new NodeInfo("n1", "worker-1", "worker", "ready", "active"),
                "n2", new NodeInfo("n2", "manager-1", "manager", "ready", "drain"));
        ServiceState service = replicated(4, 3, List.of(
                taskOn("n1", "running", "running"), taskOn("n2", "running", "running"),
                taskOn("n1", "running", "running"), taskOn("n1", "running", "shutdown"),
                taskOn("n2", "starting", "running"), taskOn("gone", "running", "running"),
                taskOn(null, "pending", "running")));

        assertThat(ServiceStates.placement(service, nodes)).as("sorted by node, a node the swarm lost by its id")
                .containsExactly(new Placement("gone", 1), new Placement("manager-1", 1), new Placement("worker-1", 2));
        assertThat(ServiceStates.placement(replicated(1, 0, List.of(taskOn(null, "pending", "running"))), nodes))
                .isEmpty();
    }

    private static TaskInfo taskOn(String nodeId, String state, String desiredState) {
        return new TaskInfo("t-" + nodeId, 1, nodeId, state, desiredState, null, null, null, NOW);
    }

    private static ServiceState replicated(long desired, int running, List<TaskInfo> tasks) {
        return new ServiceState("id", "ns_web", "web", "busybox", desired, running, tasks, null, null, NOW, Map.of());
    }

    private static ServiceState global(int running, List<TaskInfo> tasks) {
        return new ServiceState("id", "ns_web", "web", "busybox", null, running, tasks, null, null, NOW, Map.of());
    }

    private static ServiceState withUpdate(ServiceState s, String updateState) {
        return new ServiceState(s.id(), s.name(), s.key(), s.image(), s.desiredReplicas(), s.running(), s.tasks(),
                updateState, null, s.changedAt(), s.labels());
    }

    /** @param age seconds before NOW, so a list in ascending age is newest first */
    private static TaskInfo task(String state, String desiredState, int age) {
        return new TaskInfo("t" + age, 1, "node", state, desiredState, null, null, null, NOW.minusSeconds(age));
    }
}
