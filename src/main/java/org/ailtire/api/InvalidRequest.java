package org.ailtire.api;

import java.util.List;

/** A request the API cannot accept, with every problem found, each naming its field (answered with 400). */
final class InvalidRequest extends Exception {
    final List<String> problems;

    InvalidRequest(List<String> problems) {
        super("invalid request");
        this.problems = List.copyOf(problems);
    }
}
