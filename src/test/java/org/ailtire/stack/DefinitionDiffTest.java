package org.ailtire.stack;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DefinitionDiffTest {
    @Test
    void unifiedDiffNamesBothSidesAndOnlyChangedHunks() {
        String before = "services:\n  web:\n    image: web:1\n    environment:\n      A: 1\n";
        String after = "services:\n  web:\n    image: web:2\n    environment:\n      A: 1\n";
        String diff = DefinitionDiff.unified("version 1", before, "version 2", after);
        assertThat(diff).startsWith("--- version 1\n+++ version 2\n@@ ")
                .contains("-    image: web:1\n+    image: web:2\n");
    }

    @Test
    void equalTextsHaveAnEmptyDiffAndWindowsLineEndsDoNotCount() {
        assertThat(DefinitionDiff.unified("a", "x: 1\n", "b", "x: 1\n")).isEmpty();
        assertThat(DefinitionDiff.unified("a", "x: 1\r\ny: 2\n", "b", "x: 1\ny: 2\n")).isEmpty();
    }

    @Test
    void fromNothingEveryLineIsAdded() {
        assertThat(DefinitionDiff.unified("(nothing applied)", "", "proposed", "a: 1\n"))
                .contains("+a: 1");
    }
}
