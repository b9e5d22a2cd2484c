package org.ailtire.stack;

import java.util.Map;

/** Where an update job reports its steps. */
@FunctionalInterface
public interface UpdateProgress {
    void report(String phase, String subject, String message);

    /**
     * The images the update applies, pinned to digests, by service key (see {@link UpdateRequest#pins()}): kept with
     * the version in the history. Ignored by default.
     */
    default void imagesPinned(Map<String, String> images) {
    }
}
