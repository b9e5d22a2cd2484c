package org.ailtire.protocol;

import org.ailtire.stack.Json;
import org.ailtire.stack.LogLine;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/** The past log lines a controller answered with (JSON lines), read one by one. Close it to hang up. */
public final class LogLines implements AutoCloseable {
    private final BufferedReader lines;

    LogLines(InputStream body) {
        this.lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
    }

    /** @return the next line, or null when the controller ended the answer */
    public LogLine next() throws IOException {
        String line;
        while ((line = lines.readLine()) != null) {
            if (!line.isBlank()) {
                return Json.MAPPER.readValue(line, LogLine.class);
            }
        }
        return null;
    }

    @Override
    public void close() {
        try {
            lines.close();
        } catch (IOException ignored) {
            // Hanging up: nothing left to do with a stream that fails to close.
        }
    }
}
