package org.ailtire.protocol;

import java.io.IOException;

/**
 * Reads Server-Sent Events from a line stream, as the HTML standard describes: fields {@code event}, {@code data}
 * (several lines join with {@code \n}), {@code id} (kept for later events); lines starting with {@code :} are
 * comments; a blank line dispatches; an event without data is not dispatched; an unfinished event at the end of
 * the stream is dropped.
 */
public final class SseReader {
    /** Where lines come from, e.g. {@code BufferedReader::readLine}; null at the end. */
    @FunctionalInterface
    public interface LineSource {
        String readLine() throws IOException;
    }

    private final LineSource lines;
    private String lastId = "";

    public SseReader(LineSource lines) {
        this.lines = lines;
    }

    /** @return the next event, or null when the stream ended */
    public SseEvent next() throws IOException {
        String event = "";
        StringBuilder data = null;
        String line;
        while ((line = lines.readLine()) != null) {
            if (line.isEmpty()) {
                if (data != null) {
                    return new SseEvent(event.isEmpty() ? "message" : event, data.toString(), lastId);
                }
                event = "";
                continue;
            }
            if (line.startsWith(":")) {
                continue;
            }
            int colon = line.indexOf(':');
            String field = colon < 0 ? line : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(colon + 1);
            if (value.startsWith(" ")) {
                value = value.substring(1);
            }
            switch (field) {
                case "event" -> event = value;
                case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                case "id" -> {
                    if (value.indexOf('\0') < 0) {
                        lastId = value;
                    }
                }
                default -> {
                    // "retry" and unknown fields: nothing a CLI needs.
                }
            }
        }
        return null;
    }
}
