package org.ailtire.swarm.apply;

/**
 * One step of an apply, for progress reporting.
 *
 * @param subject what the step is about, e.g. {@code service web} or {@code network shop_default}
 */
public record ApplyEvent(Phase phase, String subject, String message) {
    public enum Phase { PLAN, CREATE, UPDATE, CONVERGE, CONVERGED, FAILED, ROLLBACK, SHUTDOWN, REMOVE, DONE }

    @Override
    public String toString() {
        return phase.name().toLowerCase(java.util.Locale.ROOT) + " " + subject + (message.isEmpty() ? "" : ": " + message);
    }
}
