package org.ailtire.protocol;

import org.ailtire.stack.LogRequest;

import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Which logs to ask the controller for.
 *
 * @param service a service of the stack, empty for all of them
 * @param tail    lines per service from the past (the controller's default when empty)
 * @param since   only lines at or after this instant
 */
public record LogSelection(Optional<String> service, OptionalInt tail, Optional<Instant> since,
                           LogRequest.Streams streams) {
    public static LogSelection all() {
        return new LogSelection(Optional.empty(), OptionalInt.empty(), Optional.empty(), LogRequest.Streams.BOTH);
    }
}
