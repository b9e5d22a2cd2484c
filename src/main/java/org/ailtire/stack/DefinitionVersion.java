package org.ailtire.stack;

import java.time.Instant;
import java.util.Objects;

/**
 * One definition a stack was given, kept in its history: the text as sent, when, by whom and how the update ended.
 * The variables (environment and parameters) it was applied with are kept by the history too, but never shown.
 *
 * @param version  1, 2, ... in the order the updates ended
 * @param actor    who asked for it (the API caller, the parent stack, the controller at start)
 * @param outcome  whether the update converged or was rolled back
 * @param message  why it failed; empty when applied
 * @param given    a digest of the definition the controller was started with when this version was recorded (a
 *                 restarted controller uses it to tell a definition its parent changed from one it was sent later)
 */
public record DefinitionVersion(int version, Instant at, String actor, Outcome outcome, String message,
                                String given, String definition) {
    public enum Outcome { APPLIED, FAILED }

    public DefinitionVersion {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(outcome, "outcome");
        actor = actor == null ? "" : actor;
        message = message == null ? "" : message;
        given = given == null ? "" : given;
        Objects.requireNonNull(definition, "definition");
    }

    /** The same version without its text, for listings. */
    public Summary summary() {
        return new Summary(version, at, actor, outcome, message);
    }

    public record Summary(int version, Instant at, String actor, Outcome outcome, String message) {
    }
}
