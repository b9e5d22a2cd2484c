package org.ailtire.stack;

/** Receives log lines, then {@link #end} once (when not following, or when the source fails). */
public interface LogSink {
    void line(LogLine line);

    /** @param failure why the logs ended early, or null when they simply ended */
    void end(Throwable failure);
}
