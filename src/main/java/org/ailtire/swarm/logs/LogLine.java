package org.ailtire.swarm.logs;

import java.time.Instant;

/**
 * One complete line a service's task wrote.
 *
 * @param service   the service id
 * @param taskId    the task that wrote it, {@code null} when the engine did not say
 * @param stream    standard output or standard error (a TTY service's output counts as standard output)
 * @param timestamp when the engine received the line's first byte, {@code null} when the engine did not say
 * @param text      the line without its line break
 */
public record LogLine(String service, String taskId, Stream stream, Instant timestamp, String text) {
    public enum Stream { STDOUT, STDERR }
}
