package org.ailtire.definition;

import java.util.List;

/** A definition that cannot be used, with every problem found (not just the first), each naming its path. */
public class DefinitionException extends Exception {
    private final List<Problem> problems;

    public DefinitionException(List<Problem> problems) {
        super(render(problems));
        this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
        return problems;
    }

    private static String render(List<Problem> problems) {
        StringBuilder text = new StringBuilder("invalid stack definition:");
        for (Problem p : problems) {
            text.append("\n  ").append(p);
        }
        return text.toString();
    }
}
