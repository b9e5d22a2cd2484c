package org.ailtire.protocol;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * An open Server-Sent Events stream from the controller, decoded into {@code T}; events the decoder does not know
 * (it returns null) are skipped. Close it to hang up.
 */
public final class EventSubscription<T> implements AutoCloseable {
    /** Turns one event into a value, or null to skip it. */
    @FunctionalInterface
    public interface Decoder<T> {
        T decode(SseEvent event) throws IOException;
    }

    private final InputStream body;
    private final SseReader reader;
    private final Decoder<T> decoder;

    EventSubscription(InputStream body, Decoder<T> decoder) {
        this.body = body;
        BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
        this.reader = new SseReader(lines::readLine);
        this.decoder = decoder;
    }

    /**
     * Blocks for the next value.
     *
     * @return the next value, or null when the controller ended the stream
     * @throws IOException when the connection broke
     */
    public T next() throws IOException {
        SseEvent event;
        while ((event = reader.next()) != null) {
            T value = decoder.decode(event);
            if (value != null) {
                return value;
            }
        }
        return null;
    }

    @Override
    public void close() {
        try {
            body.close();
        } catch (IOException ignored) {
            // Hanging up: nothing left to do with a stream that fails to close.
        }
    }
}
