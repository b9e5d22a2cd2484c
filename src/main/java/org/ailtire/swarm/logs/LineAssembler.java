package org.ailtire.swarm.logs;

import com.github.dockerjava.api.model.StreamType;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Turns the frames of a service log stream into complete lines, per stream and per task. A frame may hold part
 * of a line (the log driver splits long lines into partial messages) or several messages; a line is complete at
 * its line break. A line longer than {@link #MAX_LINE_BYTES} is cut there (delivered in parts, each a line), so an
 * application that never ends its line cannot grow the controller's memory. Not thread-safe: one assembler per
 * stream of frames.
 */
final class LineAssembler {
    static final int MAX_LINE_BYTES = 64 * 1024;
    private final String service;
    private final Consumer<LogLine> sink;
    /** Unfinished lines by stream and task, in arrival order. */
    private final Map<Key, Partial> open = new LinkedHashMap<>();
    /** The task of the last unfinished message per stream: where a frame without a prefix continues. */
    private final Map<LogLine.Stream, Key> lastOpen = new EnumMap<>(LogLine.Stream.class);

    LineAssembler(String service, Consumer<LogLine> sink) {
        this.service = service;
        this.sink = sink;
    }

    void accept(StreamType type, byte[] payload) {
        LogLine.Stream stream = type == StreamType.STDERR ? LogLine.Stream.STDERR : LogLine.Stream.STDOUT;
        int start = 0;
        while (start < payload.length) {
            int newline = indexOfNewline(payload, start);
            int end = newline < 0 ? payload.length : newline + 1;
            acceptMessage(stream, Arrays.copyOfRange(payload, start, end));
            start = end;
        }
    }

    /** Emits every unfinished line, e.g. at the end of the stream. */
    void flush() {
        List<Map.Entry<Key, Partial>> rest = new ArrayList<>(open.entrySet());
        open.clear();
        lastOpen.clear();
        rest.forEach(e -> emit(e.getKey(), e.getValue()));
    }

    private void acceptMessage(LogLine.Stream stream, byte[] message) {
        var parsed = LogMessage.parse(message);
        Key key;
        Instant timestamp;
        byte[] content;
        boolean endsLine;
        if (parsed.isPresent()) {
            key = new Key(stream, parsed.get().taskId());
            timestamp = parsed.get().timestamp();
            content = parsed.get().content();
            endsLine = parsed.get().endsLine();
        } else {
            // No prefix: the rest of a message whose start came in an earlier frame, or a stream without details.
            key = lastOpen.getOrDefault(stream, new Key(stream, null));
            timestamp = null;
            endsLine = message.length > 0 && message[message.length - 1] == '\n';
            content = endsLine ? Arrays.copyOf(message, message.length - 1) : message;
        }
        Partial partial = open.computeIfAbsent(key, k -> new Partial(timestamp));
        partial.bytes.writeBytes(content);
        if (endsLine) {
            open.remove(key);
            lastOpen.remove(stream, key);
            emit(key, partial);
        } else {
            lastOpen.put(stream, key);
            if (partial.bytes.size() >= MAX_LINE_BYTES) {
                open.put(key, new Partial(partial.timestamp));
                emit(key, partial);
            }
        }
    }

    private void emit(Key key, Partial partial) {
        sink.accept(new LogLine(service, key.taskId(), key.stream(), partial.timestamp,
                partial.bytes.toString(StandardCharsets.UTF_8)));
    }

    private static int indexOfNewline(byte[] bytes, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private record Key(LogLine.Stream stream, String taskId) {
    }

    private static final class Partial {
        final Instant timestamp;
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        Partial(Instant timestamp) {
            this.timestamp = timestamp;
        }
    }
}
