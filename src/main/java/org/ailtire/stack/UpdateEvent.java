package org.ailtire.stack;

import java.time.Instant;

/**
 * One step of an update's progress.
 *
 * @param sequence 0, 1, 2... within its update, so a client can tell what it already saw
 * @param phase    e.g. {@code plan}, {@code create}, {@code converge}, {@code done}, {@code failed}
 * @param subject  what the step is about, e.g. {@code service web}; may be empty
 */
public record UpdateEvent(long sequence, Instant at, String phase, String subject, String message) {
}
