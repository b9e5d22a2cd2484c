package org.ailtire.cli;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AssignmentsTest {
    @Test
    void keyValuePairsAndKeysTakenFromTheShellKeepTheirOrder() {
        assertThat(Assignments.parse(List.of("B=2", "HOME", "A=x=y", "EMPTY="), Map.of("HOME", "/root")))
                .containsExactly(Map.entry("B", "2"), Map.entry("HOME", "/root"), Map.entry("A", "x=y"),
                        Map.entry("EMPTY", ""));
    }

    @Test
    void aMissingKeyOrAKeyNotSetInTheShellIsRefusedByName() {
        assertThatThrownBy(() -> Assignments.parse(List.of("=x"), Map.of()))
                .hasMessage("-e =x: expected KEY=VALUE or KEY");
        assertThatThrownBy(() -> Assignments.parse(List.of("UNSET"), Map.of()))
                .hasMessage("-e UNSET: not set in this shell; give KEY=VALUE");
    }
}
