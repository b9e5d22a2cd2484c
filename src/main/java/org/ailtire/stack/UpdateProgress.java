package org.ailtire.stack;

/** Where an update job reports its steps. */
@FunctionalInterface
public interface UpdateProgress {
    void report(String phase, String subject, String message);
}
