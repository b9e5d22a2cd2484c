package org.ailtire.stack;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;

import java.util.List;

/** A unified diff (as {@code diff -u} prints it) between two definition texts. */
public final class DefinitionDiff {
    static final int CONTEXT_LINES = 3;

    private DefinitionDiff() {
    }

    /** @return the diff, or an empty string when the texts are equal */
    public static String unified(String fromName, String from, String toName, String to) {
        List<String> before = lines(from);
        List<String> after = lines(to);
        var patch = DiffUtils.diff(before, after);
        if (patch.getDeltas().isEmpty()) {
            return "";
        }
        return String.join("\n", UnifiedDiffUtils.generateUnifiedDiff(fromName, toName, before, patch, CONTEXT_LINES))
                + "\n";
    }

    private static List<String> lines(String text) {
        return text.isEmpty() ? List.of() : List.of(text.split("\r?\n", -1));
    }
}
