package org.ailtire.stack;

import java.time.Instant;
import java.util.Objects;

/**
 * The definition text of the last update that succeeded, as it was sent (parameters and environment are not
 * kept: they may carry secrets).
 */
public record AppliedDefinition(String definition, Instant appliedAt) {
    public AppliedDefinition {
        Objects.requireNonNull(definition, "definition");
        Objects.requireNonNull(appliedAt, "appliedAt");
    }
}
