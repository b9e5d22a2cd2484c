package org.ailtire.cli;

import org.ailtire.stack.Aggregate;
import org.ailtire.stack.Status;

/** Colours for states, or none. */
final class Ansi {
    private static final String RESET = "\u001b[0m";
    private final boolean enabled;

    Ansi(boolean enabled) {
        this.enabled = enabled;
    }

    String state(String word) {
        if (!enabled || word.isBlank()) {
            return word;
        }
        String code = switch (word.strip()) {
            case "RUNNING", "HEALTHY", "SUCCEEDED", "COMPLETED" -> "32";
            case "STARTING", "UPDATING", "STOPPING", "DEGRADED", "DRIFTED" -> "33";
            case "FAILED", "UNREACHABLE" -> "31";
            case "STOPPED" -> "90";
            default -> null;
        };
        return code == null ? word : "\u001b[" + code + "m" + word + RESET;
    }

    String state(Status.State state) {
        return state(state.name());
    }

    String state(Aggregate aggregate) {
        return state(aggregate.name());
    }

    /** Yellow: something to look at (a node that runs no tasks). */
    String warn(String text) {
        return enabled ? "\u001b[33m" + text + RESET : text;
    }

    String bold(String text) {
        return enabled ? "\u001b[1m" + text + RESET : text;
    }
}
