package org.ailtire.api;

import io.vertx.core.MultiMap;
import org.ailtire.stack.LogRequest;
import org.ailtire.stack.Names;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Reads {@code ?service=&tail=&since=&stream=stdout|stderr|both&follow=true|false} with every problem. */
final class LogQuery {
    static final int DEFAULT_TAIL = 100;

    private LogQuery() {
    }

    static LogRequest parse(MultiMap query) throws InvalidRequest {
        List<String> problems = new ArrayList<>();
        String service = query.get("service");
        if (service != null && !Names.isValidPath(service)) {
            problems.add("service: expected names of [a-zA-Z0-9_.-] joined by / (not . or ..), e.g. backend/db");
        }
        int tail = DEFAULT_TAIL;
        String tailText = query.get("tail");
        if (tailText != null) {
            try {
                tail = Integer.parseInt(tailText);
            } catch (NumberFormatException e) {
                tail = -1;
            }
            if (tail < 0 || tail > LogRequest.MAX_TAIL) {
                problems.add("tail: expected an integer from 0 to " + LogRequest.MAX_TAIL);
            }
        }
        Instant since = null;
        String sinceText = query.get("since");
        if (sinceText != null) {
            since = parseInstant(sinceText);
            if (since == null) {
                problems.add("since: expected an ISO-8601 instant (2026-01-31T12:00:00Z) or epoch seconds");
            }
        }
        LogRequest.Streams streams = LogRequest.Streams.BOTH;
        String streamText = query.get("stream");
        if (streamText != null) {
            switch (streamText.toLowerCase(Locale.ROOT)) {
                case "stdout" -> streams = LogRequest.Streams.STDOUT;
                case "stderr" -> streams = LogRequest.Streams.STDERR;
                case "both" -> streams = LogRequest.Streams.BOTH;
                default -> problems.add("stream: expected stdout, stderr or both");
            }
        }
        boolean follow = false;
        String followText = query.get("follow");
        if (followText != null) {
            if (followText.equals("true") || followText.equals("false")) {
                follow = Boolean.parseBoolean(followText);
            } else {
                problems.add("follow: expected true or false");
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidRequest(problems);
        }
        return new LogRequest(Optional.ofNullable(service), tail, Optional.ofNullable(since), streams, follow);
    }

    private static Instant parseInstant(String text) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException notIso) {
            try {
                return Instant.ofEpochSecond(Long.parseLong(text));
            } catch (NumberFormatException notEpoch) {
                return null;
            }
        }
    }
}
