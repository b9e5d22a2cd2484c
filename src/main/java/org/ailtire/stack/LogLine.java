package org.ailtire.stack;

import java.time.Instant;

/** One line a service wrote; {@code at} is null when the engine did not give a time. */
public record LogLine(String service, Stream stream, Instant at, String text) {
    public enum Stream { STDOUT, STDERR }
}
