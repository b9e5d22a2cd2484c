package org.ailtire.cli;

import org.ailtire.stack.Json;
import org.ailtire.stack.Status;
import org.ailtire.stack.Status.Placement;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class NodesTableTest {
    private static final Instant AT = Instant.parse("2026-01-01T00:00:00Z");

    /** web on the manager and a worker, the grandchild store twice on worker-2, api on a node the swarm lost. */
    private static Status tree() {
        Status db = Status.stack("db", Status.State.RUNNING, "", null, AT, List.of(
                Status.service("store", Status.State.RUNNING, "", AT).placed(List.of(new Placement("worker-2", 2)))));
        Status backend = Status.stack("backend", Status.State.RUNNING, "", null, AT, List.of(
                Status.service("api", Status.State.RUNNING, "", AT).placed(List.of(new Placement("k3x9", 1))), db));
        return Status.stack("shop", Status.State.RUNNING, "", null, AT, List.of(
                Status.service("web", Status.State.RUNNING, "", AT)
                        .placed(List.of(new Placement("manager-1", 1), new Placement("worker-2", 1))),
                backend))
                .withCluster(List.of(new Status.Node("manager-1", "manager", "ready", "active"),
                        new Status.Node("worker-1", "worker", "ready", "drain"),
                        new Status.Node("worker-2", "worker", "ready", "active")));
    }

    @Test
    void eachNodeThenTheTasksOfTheWholeTreeOnItByPath() {
        assertThat(new NodesTable(false, true).render(NodesView.of(tree()))).containsExactly(
                "NODE       ROLE     STATE    AVAILABILITY",
                "manager-1  manager  ready    active",
                "    web ×1",
                "worker-1   worker   ready    drain",
                "    no tasks",
                "worker-2   worker   ready    active",
                "    web ×1",
                "    backend/db/store ×2",
                "k3x9       -        unknown  -",
                "    backend/api ×1");
    }

    @Test
    void aNodeThatRunsNoTasksIsColouredAndAsciiTerminalsGetAnX() {
        List<String> coloured = new NodesTable(true, false).render(NodesView.of(tree()));
        assertThat(coloured.get(3)).isEqualTo("\u001b[33mworker-1   worker   ready    drain\u001b[0m");
        assertThat(coloured.get(1)).isEqualTo("manager-1  manager  ready    active");
        assertThat(coloured.get(7)).isEqualTo("    backend/db/store x2");
    }

    @Test
    void withoutNodesItSaysSo() {
        Status alone = Status.stack("shop", Status.State.RUNNING, "", null, AT, List.of());
        assertThat(new NodesTable(false, true).render(NodesView.of(alone)))
                .containsExactly("no nodes known (the controller tells none)");
    }

    @Test
    void theJsonListsNodesWithTheirTasks() throws Exception {
        String json = Json.MAPPER.writeValueAsString(NodesView.of(tree()));
        assertThat(Json.MAPPER.readTree(json).path("nodes").get(2).toString()).isEqualTo(
                "{\"name\":\"worker-2\",\"role\":\"worker\",\"state\":\"ready\",\"availability\":\"active\","
                        + "\"tasks\":[{\"path\":\"web\",\"count\":1},{\"path\":\"backend/db/store\",\"count\":2}]}");
        assertThat(Json.MAPPER.readTree(json).path("nodes").get(1).path("tasks").size()).isZero();
    }
}
