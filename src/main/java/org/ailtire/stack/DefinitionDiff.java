package org.ailtire.stack;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import com.github.difflib.algorithm.DiffAlgorithmListener;
import com.github.difflib.patch.Patch;

import java.time.Duration;
import java.util.List;

/**
 * A unified diff (as {@code diff -u} prints it) between two definition texts. The line diff costs time quadratic in
 * the lines that differ, so it is bounded: texts of more than {@link #MAX_LINES} lines a side are not compared line
 * by line, and a comparison that takes longer than {@link #MAX_TIME} is given up; either way the answer is one
 * comment line saying so instead of a diff.
 */
public final class DefinitionDiff {
    static final int CONTEXT_LINES = 3;
    /** About half a second of diffing two texts that differ on every other line, on the 2-core build machine. */
    public static final int MAX_LINES = 5_000;
    public static final Duration MAX_TIME = Duration.ofSeconds(2);

    private DefinitionDiff() {
    }

    /** @return the diff, an empty string when the texts are equal, or a comment line when they are too large */
    public static String unified(String fromName, String from, String toName, String to) {
        return unified(fromName, from, toName, to, MAX_LINES, MAX_TIME);
    }

    static String unified(String fromName, String from, String toName, String to, int maxLines, Duration maxTime) {
        List<String> before = lines(from);
        List<String> after = lines(to);
        if (before.equals(after)) {
            return "";
        }
        if (before.size() > maxLines || after.size() > maxLines) {
            return "# " + fromName + " (" + before.size() + " lines) and " + toName + " (" + after.size()
                    + " lines) differ; not compared line by line beyond " + maxLines + " lines a side\n";
        }
        Patch<String> patch;
        try {
            patch = DiffUtils.diff(before, after, new Deadline(maxTime));
        } catch (Deadline.Passed e) {
            return "# " + fromName + " and " + toName + " differ; the line comparison took longer than "
                    + maxTime.toMillis() + " ms and was given up\n";
        }
        if (patch.getDeltas().isEmpty()) {
            return "";
        }
        return String.join("\n", UnifiedDiffUtils.generateUnifiedDiff(fromName, toName, before, patch, CONTEXT_LINES))
                + "\n";
    }

    private static List<String> lines(String text) {
        return text.isEmpty() ? List.of() : List.of(text.split("\r?\n", -1));
    }

    /** Called by the diff once per edit distance it tries: the place to give up a comparison that runs too long. */
    private static final class Deadline implements DiffAlgorithmListener {
        private final long end;

        Deadline(Duration limit) {
            this.end = System.nanoTime() + limit.toNanos();
        }

        @Override
        public void diffStart() {
        }

        @Override
        public void diffStep(int value, int max) {
            if (System.nanoTime() - end > 0) {
                throw new Passed();
            }
        }

        @Override
        public void diffEnd() {
        }

        static final class Passed extends RuntimeException {
            Passed() {
                super("diff deadline passed", null, false, false);
            }
        }
    }
}
