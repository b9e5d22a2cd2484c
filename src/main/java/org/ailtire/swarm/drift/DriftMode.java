package org.ailtire.swarm.drift;

import java.util.Locale;

/** What a controller does when its stack's objects were changed behind its back ({@code AILTIRE_DRIFT}). */
public enum DriftMode {
    /** Say so in the status and put the stack back to its definition (the default). */
    REPAIR,
    /** Say so in the status, change nothing. */
    REPORT;

    /** {@code repair} or {@code report}. */
    public static DriftMode parse(String text) {
        for (DriftMode mode : values()) {
            if (mode.wire().equals(text)) {
                return mode;
            }
        }
        throw new IllegalArgumentException("expected repair or report, got \"" + text + "\"");
    }

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
