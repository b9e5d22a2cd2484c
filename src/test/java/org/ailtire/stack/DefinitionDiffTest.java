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

    @Test
    void textsOfMoreLinesThanTheBoundAreNotComparedLineByLine() {
        String before = numbered("a", 32_000);
        String after = numbered("b", 32_000);
        assertThat(DefinitionDiff.unified("version 1", before, "version 2", after)).isEqualTo(
                "# version 1 (32001 lines) and version 2 (32001 lines) differ; not compared line by line beyond "
                        + DefinitionDiff.MAX_LINES + " lines a side\n");
        assertThat(DefinitionDiff.unified("version 1", before, "version 2", before)).isEmpty();
    }

    @Test
    void aComparisonOverItsTimeIsGivenUp() {
        assertThat(DefinitionDiff.unified("a", numbered("a", 4000), "b", numbered("b", 4000), 5000,
                java.time.Duration.ZERO))
                .isEqualTo("# a and b differ; the line comparison took longer than 0 ms and was given up\n");
    }

    private static String numbered(String prefix, int lines) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < lines; i++) {
            text.append(prefix).append(i).append('\n');
        }
        return text.toString();
    }
}
