package org.ailtire.stack;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NamesPathTest {
    @Test
    void namesJoinedBySlashesAreAPath() {
        assertThat(Names.isValidPath("a/b/c")).isTrue();
        assertThat(Names.requirePath("service", "backend/db")).isEqualTo("backend/db");
        assertThat(Names.isValidPath(String.join("/", java.util.Collections.nCopies(16, "s")))).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"a//b", "/a", "a/", "a/../b", "..", "a/./b", ""})
    void emptySegmentsAndTraversalAreRefused(String path) {
        assertThat(Names.isValidPath(path)).isFalse();
        assertThatThrownBy(() -> Names.requirePath("service", path))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("service: expected names of [a-zA-Z0-9_.-] joined by / (not . or ..), got \"" + path + "\"");
    }

    @Test
    void seventeenSegmentsAreTooDeep() {
        String path = String.join("/", java.util.Collections.nCopies(17, "s"));

        assertThat(Names.isValidPath(path)).isFalse();
        assertThatThrownBy(() -> Names.requirePath("service", path)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void nullIsRefusedNamingTheField() {
        assertThat(Names.isValidPath(null)).isFalse();
        assertThatThrownBy(() -> Names.requirePath("service", null))
                .hasMessage("service: expected names of [a-zA-Z0-9_.-] joined by / (not . or ..), got nothing");
    }
}
