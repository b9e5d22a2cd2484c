package org.ailtire.stack;

import java.time.Instant;
import java.util.Objects;

/**
 * The definition text of the last update that succeeded, as it was sent (parameters and environment are not
 * shown: they may carry secrets), and its version in the history (0 when it could not be kept there).
 */
public record AppliedDefinition(String definition, Instant appliedAt, int version) {
    public AppliedDefinition {
        Objects.requireNonNull(definition, "definition");
        Objects.requireNonNull(appliedAt, "appliedAt");
    }
}
