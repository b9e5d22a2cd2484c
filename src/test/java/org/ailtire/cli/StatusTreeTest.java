package org.ailtire.cli;

import org.ailtire.stack.Status;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class StatusTreeTest {
    private static final Instant AT = Instant.parse("2026-01-01T00:00:00Z");

    private static Status tree() {
        Status backend = Status.stack("backend", Status.State.RUNNING, "", "http://backend:3000", AT, List.of(
                Status.service("db", Status.State.FAILED, "exit 1", AT),
                Status.service("api", Status.State.RUNNING, "", AT)));
        return Status.stack("top", Status.State.RUNNING, "", null, AT, List.of(
                Status.service("web", Status.State.RUNNING, "GET / 200\nGET /favicon.ico 404", AT),
                backend));
    }

    @Test
    void theStacksPolicyIsShownAfterTheTree() {
        List<String> denying = new StatusTree(false, 0, true).render(tree()
                .withPolicy(org.ailtire.policy.DefinitionPolicy.DENY));
        assertThat(denying.get(denying.size() - 1)).isEqualTo("POLICY  deny by default");
        List<String> allowing = new StatusTree(false, 0, true).render(tree().withPolicy(
                new org.ailtire.policy.DefinitionPolicy(List.of("/srv/data"), false, true, List.of("NET_ADMIN"),
                        List.of())));
        assertThat(allowing.get(allowing.size() - 1)).isEqualTo("POLICY  bind /srv/data, host network, cap_add NET_ADMIN");
        assertThat(new StatusTree(false, 0, true).render(tree())).noneMatch(line -> line.startsWith("POLICY"));
    }

    @Test
    void oneLinePerStackAndServiceIndentedLikeTree() {
        assertThat(new StatusTree(false, 0, true).render(tree())).containsExactly(
                "NAME          STATE    AGGREGATE  MESSAGE",
                "top/          RUNNING  DEGRADED",
                "├── web       RUNNING             GET /favicon.ico 404",
                "└── backend/  RUNNING  DEGRADED",
                "    ├── db    FAILED              exit 1",
                "    └── api   RUNNING");
    }

    @Test
    void asciiWhenTheTerminalCannotDrawBoxes() {
        assertThat(new StatusTree(false, 0, false).render(tree())).contains(
                "|-- web       RUNNING             GET /favicon.ico 404",
                "`-- backend/  RUNNING  DEGRADED",
                "    |-- db    FAILED              exit 1");
    }

    @Test
    void messagesAreCutToTheWidth() {
        List<String> lines = new StatusTree(false, 40, true).render(tree());
        assertThat(lines.get(2)).isEqualTo("├── web       RUNNING             GET /…");
        assertThat(lines).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(40));
    }

    @Test
    void statesAreColouredOnlyWhenAsked() {
        assertThat(String.join("\n", new StatusTree(false, 0, true).render(tree()))).doesNotContain("\u001b[");
        List<String> coloured = new StatusTree(true, 0, true).render(tree());
        assertThat(coloured.get(4)).isEqualTo("    ├── db    \u001b[31mFAILED\u001b[0m              exit 1");
        assertThat(coloured.get(1)).isEqualTo("top/          \u001b[32mRUNNING\u001b[0m  \u001b[33mDEGRADED\u001b[0m");
    }

    @Test
    void servicesNameTheirNodesAndTheSwarmsNodesFollowTheTree() {
        Status top = Status.stack("top", Status.State.RUNNING, "", null, AT, List.of(
                Status.service("web", Status.State.RUNNING, "ready", AT).onNodes(List.of("worker-1", "worker-2")),
                Status.service("api", Status.State.RUNNING, "", AT).onNodes(List.of("manager-1"))))
                .withCluster(List.of(new Status.Node("manager-1", "manager", "ready", "active"),
                        new Status.Node("worker-1", "worker", "ready", "drain"),
                        new Status.Node("worker-2", "worker", "down", "active")));

        assertThat(new StatusTree(false, 0, true).render(top)).containsExactly(
                "NAME     STATE    AGGREGATE  NODES              MESSAGE",
                "top/     RUNNING  HEALTHY",
                "├── web  RUNNING             worker-1,worker-2  ready",
                "└── api  RUNNING             manager-1",
                "",
                "NODE       ROLE     STATE  AVAILABILITY",
                "manager-1  manager  ready  active",
                "worker-1   worker   ready  drain",
                "worker-2   worker   down   active");
        assertThat(new StatusTree(true, 0, true).render(top).get(8)).isEqualTo(
                "\u001b[33mworker-2   worker   down   active\u001b[0m");
    }
}
