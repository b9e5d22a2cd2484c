package org.ailtire.stack;

import java.time.Instant;
import java.util.Optional;

/**
 * What logs to read.
 *
 * @param service one service of the stack, or of a stack below it ({@code backend/db}); empty for all of them
 * @param tail    how many of the last lines per service (0 = none of the past, only what follows)
 * @param since   only lines at or after this instant, if given
 * @param follow  keep streaming new lines until closed
 */
public record LogRequest(Optional<String> service, int tail, Optional<Instant> since, Streams streams,
                         boolean follow) {
    public static final int MAX_TAIL = 10_000;

    public enum Streams { STDOUT, STDERR, BOTH }

    public LogRequest {
        service.ifPresent(path -> Names.requirePath("service", path));
        if (tail < 0 || tail > MAX_TAIL) {
            throw new IllegalArgumentException("tail: expected 0 to " + MAX_TAIL + ", got " + tail);
        }
    }
}
