package org.ailtire.swarm.convert;

import org.ailtire.definition.DefinitionException;
import org.ailtire.definition.Problem;

import java.util.ArrayList;
import java.util.List;

/** Collects every error and warning of one conversion, so the user sees all of them at once. */
final class Problems {
    private final List<Problem> errors = new ArrayList<>();
    private final List<Problem> warnings = new ArrayList<>();

    void error(String path, String message) {
        errors.add(Problem.error(path, message));
    }

    void warning(String path, String message) {
        warnings.add(Problem.warning(path, message));
    }

    List<Problem> warnings() {
        return List.copyOf(warnings);
    }

    void throwIfErrors() throws DefinitionException {
        if (!errors.isEmpty()) {
            throw new DefinitionException(errors);
        }
    }
}
