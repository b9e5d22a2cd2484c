package org.ailtire.swarm.logs;

import java.time.Instant;

/**
 * What to read from a service's log.
 *
 * @param tail   the number of most recent lines (over all tasks), {@code null} for all
 * @param since  only lines at or after this instant, {@code null} from the start
 * @param stdout include standard output
 * @param stderr include standard error
 */
public record LogQuery(Integer tail, Instant since, boolean stdout, boolean stderr) {
    public LogQuery {
        if (tail != null && tail < 0) {
            throw new IllegalArgumentException("tail must be >= 0, was " + tail);
        }
        if (!stdout && !stderr) {
            throw new IllegalArgumentException("a log query needs at least one of stdout and stderr");
        }
    }

    /** Every line of both streams. */
    public static LogQuery all() {
        return new LogQuery(null, null, true, true);
    }

    public LogQuery withTail(int n) {
        return new LogQuery(n, since, stdout, stderr);
    }

    public LogQuery withSince(Instant t) {
        return new LogQuery(tail, t, stdout, stderr);
    }

    public LogQuery onlyStdout() {
        return new LogQuery(tail, since, true, false);
    }

    public LogQuery onlyStderr() {
        return new LogQuery(tail, since, false, true);
    }
}
