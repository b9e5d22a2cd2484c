package org.ailtire.stack;

import java.util.List;
import java.util.Optional;

/**
 * Every definition a stack applied or tried, with the variables it was applied with, so any earlier version can be
 * shown, compared and applied again. An engine keeps it where a restarted controller finds it again.
 */
public interface DefinitionHistory {

    /** What was recorded, oldest first (only the most recent versions are kept). */
    List<DefinitionVersion> versions();

    /** The request that version {@code version} was applied with, ready to be applied again. */
    Optional<UpdateRequest> request(int version);

    /**
     * Keeps one more version.
     *
     * @throws HistoryException when it cannot be kept (the update itself stands)
     */
    DefinitionVersion record(UpdateRequest request, String actor, DefinitionVersion.Outcome outcome, String message);

    /** The version a restart would apply again: the most recent one that was applied. */
    default Optional<DefinitionVersion> current() {
        return current(versions());
    }

    /** The most recent applied version among {@code versions} (oldest first), for a caller that read them already. */
    static Optional<DefinitionVersion> current(List<DefinitionVersion> versions) {
        for (int i = versions.size() - 1; i >= 0; i--) {
            if (versions.get(i).outcome() == DefinitionVersion.Outcome.APPLIED) {
                return Optional.of(versions.get(i));
            }
        }
        return Optional.empty();
    }

    /** A history or one of its versions could not be read or written. */
    final class HistoryException extends RuntimeException {
        public HistoryException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
