package org.ailtire.stack;

import java.time.Instant;

/**
 * Something that happened to a stack: who did what, when, and with which result.
 *
 * @param action  update, rollback, shutdown, register, start, ...
 * @param result  started, succeeded, failed, ...
 */
public record StackEvent(long sequence, Instant at, String actor, String action, String result, String detail) {
}
