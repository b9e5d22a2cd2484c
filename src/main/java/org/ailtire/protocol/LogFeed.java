package org.ailtire.protocol;

import org.ailtire.stack.LogLine;

/** What a followed log stream carries: lines, then an end (with the reason when the source failed). */
public sealed interface LogFeed {
    record Line(LogLine line) implements LogFeed {
    }

    /** @param error why the logs ended, empty when they simply ended */
    record End(String error) implements LogFeed {
    }
}
