package org.ailtire.swarm.logs;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One log message as the engine writes it with {@code timestamps=true&details=true}:
 * {@code 2026-11-25T20:35:06.354182392Z com.docker.swarm.node.id=..,com.docker.swarm.service.id=..,com.docker.swarm.task.id=.. text}
 * (without the detail field when details were not requested).
 * The engine URL-encodes the detail keys and values. The text ends with a line break unless the log driver split
 * a long line (at 16 KiB) into partial messages, each of which carries its own prefix.
 *
 * @param content the message text in bytes (kept as bytes so a UTF-8 character split across partial messages
 *                survives), without a line break
 * @param endsLine whether the message ended with a line break
 */
record LogMessage(Instant timestamp, Map<String, String> details, byte[] content, boolean endsLine) {
    static final String SWARM_PREFIX = "com.docker.swarm.";
    static final String TASK_ID = SWARM_PREFIX + "task.id";

    String taskId() {
        return details.get(TASK_ID);
    }

    /**
     * Parses one message (at most one line break, at its end). Empty when it does not start with a timestamp, i.e.
     * it continues an earlier message.
     */
    static Optional<LogMessage> parse(byte[] message) {
        boolean endsLine = message.length > 0 && message[message.length - 1] == '\n';
        int end = endsLine ? message.length - 1 : message.length;
        int firstSpace = indexOf(message, (byte) ' ', 0, end);
        if (firstSpace < 0) {
            return Optional.empty();
        }
        Optional<Instant> timestamp = parseTimestamp(new String(message, 0, firstSpace, StandardCharsets.US_ASCII));
        if (timestamp.isEmpty()) {
            return Optional.empty();
        }
        // The detail field is there only when the engine was asked for it (docker-java 3.7.1 drops the
        // details parameter of the service log command), so it counts only if it holds the swarm's own keys.
        int secondSpace = indexOf(message, (byte) ' ', firstSpace + 1, end);
        Optional<Map<String, String>> details = secondSpace < 0 ? Optional.empty()
                : parseDetails(new String(message, firstSpace + 1, secondSpace - firstSpace - 1, StandardCharsets.UTF_8))
                        .filter(d -> d.keySet().stream().anyMatch(k -> k.startsWith(SWARM_PREFIX)));
        int contentStart = details.isPresent() ? secondSpace + 1 : firstSpace + 1;
        byte[] content = Arrays.copyOfRange(message, contentStart, end);
        return Optional.of(new LogMessage(timestamp.get(), details.orElse(Map.of()), content, endsLine));
    }

    /** RFC 3339 with nanoseconds, as the engine writes it (always UTC, {@code Z}). */
    static Optional<Instant> parseTimestamp(String text) {
        if (text.length() < 20 || text.charAt(4) != '-' || text.charAt(10) != 'T') {
            return Optional.empty();
        }
        try {
            return Optional.of(java.time.OffsetDateTime.parse(text).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** {@code k=v,k=v} with URL-encoded keys and values; an empty field means no details. */
    static Optional<Map<String, String>> parseDetails(String field) {
        Map<String, String> details = new LinkedHashMap<>();
        if (field.isEmpty()) {
            return Optional.of(details);
        }
        for (String pair : field.split(",", -1)) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                return Optional.empty();
            }
            try {
                details.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        }
        return Optional.of(details);
    }

    private static int indexOf(byte[] bytes, byte b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }
}
