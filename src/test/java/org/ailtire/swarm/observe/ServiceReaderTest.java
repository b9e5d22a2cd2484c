package org.ailtire.swarm.observe;

import com.github.dockerjava.api.model.Task;
import com.github.dockerjava.api.model.TaskState;
import com.github.dockerjava.api.model.TaskStatus;
import com.github.dockerjava.api.model.TaskStatusContainerStatus;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ServiceReaderTest {
    private static final Instant T0 = Instant.parse("2026-11-25T20:00:00Z");

    @Test
    void keepsTheNewestTasksOfEachSlotNewestFirst() {
        List<Task> tasks = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            tasks.add(task("a" + i, 1, null, TaskState.FAILED, TaskState.SHUTDOWN, i));
        }
        tasks.add(task("b0", 2, null, TaskState.RUNNING, TaskState.RUNNING, 3));

        List<TaskInfo> latest = ServiceReader.latestTasks(tasks);

        assertThat(latest).extracting(TaskInfo::id).containsExactly("a6", "a5", "a4", "a3", "b0", "a2");
        assertThat(latest).filteredOn(t -> t.slot() == 1).hasSize(ServiceReader.TASKS_PER_SLOT);
    }

    @Test
    void groupsTheTasksOfAGlobalServiceByNode() {
        List<Task> tasks = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            tasks.add(task("n1-" + i, null, "node1", TaskState.SHUTDOWN, TaskState.SHUTDOWN, i));
        }
        tasks.add(task("n2-0", null, "node2", TaskState.RUNNING, TaskState.RUNNING, 0));

        List<TaskInfo> latest = ServiceReader.latestTasks(tasks);

        assertThat(latest).extracting(TaskInfo::id).containsExactly("n1-5", "n1-4", "n1-3", "n1-2", "n1-1", "n2-0");
        assertThat(latest).allSatisfy(t -> assertThat(t.slot()).isNull());
    }

    @Test
    void mapsTheTaskFields() {
        Task task = task("t1", 3, "node1", TaskState.FAILED, TaskState.SHUTDOWN, 5)
                .withStatus(new TaskStatus().withState(TaskState.FAILED).withTimestamp("2026-11-25T20:00:05.123456789Z")
                        .withMessage("started").withErr("task: non-zero exit (137)")
                        .withContainerStatus(new TaskStatusContainerStatus().withContainerID("c1")));

        assertThat(ServiceReader.latestTasks(List.of(task))).containsExactly(new TaskInfo("t1", 3, "node1", "failed",
                "shutdown", "started", "task: non-zero exit (137)", "c1", Instant.parse("2026-11-25T20:00:05.123456789Z")));
    }

    private static Task task(String id, Integer slot, String node, TaskState state, TaskState desired, int second) {
        return new Task().withId(id).withSlot(slot).withNodeId(node).withDesiredState(desired)
                .withStatus(new TaskStatus().withState(state).withTimestamp(T0.plusSeconds(second).toString()));
    }
}
