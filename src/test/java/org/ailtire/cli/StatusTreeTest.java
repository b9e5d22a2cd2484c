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
}
