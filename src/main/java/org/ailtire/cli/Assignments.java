package org.ailtire.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code -e KEY=VALUE} and {@code -e KEY} options, as docker reads them: a key alone takes its value from this
 * shell, and must be set there.
 */
final class Assignments {
    private Assignments() {
    }

    /** @throws IllegalArgumentException naming the option that cannot be read */
    static Map<String, String> parse(List<String> assignments, Map<String, String> shell) {
        Map<String, String> variables = new LinkedHashMap<>();
        for (String assignment : assignments) {
            int equals = assignment.indexOf('=');
            if (equals == 0) {
                throw new IllegalArgumentException("-e " + assignment + ": expected KEY=VALUE or KEY");
            }
            if (equals < 0) {
                String inherited = shell.get(assignment);
                if (inherited == null) {
                    throw new IllegalArgumentException("-e " + assignment + ": not set in this shell; give KEY=VALUE");
                }
                variables.put(assignment, inherited);
            } else {
                variables.put(assignment.substring(0, equals), assignment.substring(equals + 1));
            }
        }
        return variables;
    }
}
