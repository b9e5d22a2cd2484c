package org.ailtire.definition;

import java.util.ArrayList;
import java.util.List;

/** Collects every problem found while loading, so that all of them are reported at once. */
final class Problems {
    private final List<Problem> found = new ArrayList<>();

    void error(String path, String message) {
        found.add(Problem.error(path, message));
    }

    void warning(String path, String message) {
        found.add(Problem.warning(path, message));
    }

    boolean hasErrors() {
        return found.stream().anyMatch(p -> p.severity() == Problem.Severity.ERROR);
    }

    int errorCount() {
        return (int) found.stream().filter(p -> p.severity() == Problem.Severity.ERROR).count();
    }

    List<Problem> errors() {
        return found.stream().filter(p -> p.severity() == Problem.Severity.ERROR).toList();
    }

    List<Problem> warnings() {
        return found.stream().filter(p -> p.severity() == Problem.Severity.WARNING).toList();
    }

    /** Errors first (in the order found), then warnings, which often explain an error. */
    void throwIfErrors() throws DefinitionException {
        if (hasErrors()) {
            List<Problem> all = new ArrayList<>(found.stream().filter(p -> p.severity() == Problem.Severity.ERROR).toList());
            all.addAll(warnings());
            throw new DefinitionException(all);
        }
    }

    static String child(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    static String index(String path, int index) {
        return path + "[" + index + "]";
    }
}
