package org.ailtire.swarm.stack;

import org.ailtire.stack.LogLine;
import org.ailtire.stack.LogSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Joins the logs of several sources (a stack's own services and each child stack) into one sink, which ends once,
 * when every source has. Read once, the lines are delivered in time order at the end; followed, as they come.
 * A child stack that fails to answer does not fail the whole read: the stack's own logs are still worth having.
 */
final class FanInSink {
    private static final Logger LOG = LoggerFactory.getLogger(FanInSink.class);

    private final LogSink target;
    private final boolean follow;
    private final List<LogLine> collected = new ArrayList<>();
    private int open;
    private Throwable ownFailure;

    FanInSink(LogSink target, boolean follow, int sources) {
        this.target = target;
        this.follow = follow;
        this.open = sources;
    }

    /** The sink of the stack's own services: its failure is the read's failure. */
    LogSink own() {
        return source(null);
    }

    /** The sink of one child stack: its failure is logged and otherwise ignored. */
    LogSink child(String name) {
        return source(name);
    }

    private LogSink source(String child) {
        return new LogSink() {
            @Override
            public void line(LogLine line) {
                synchronized (FanInSink.this) {
                    if (follow) {
                        target.line(line);
                    } else {
                        collected.add(line);
                    }
                }
            }

            @Override
            public void end(Throwable failure) {
                synchronized (FanInSink.this) {
                    if (failure != null) {
                        if (child == null) {
                            ownFailure = failure;
                        } else {
                            LOG.warn("logs of child stack {} could not be read: {}", child, failure.toString());
                        }
                    }
                    if (--open > 0) {
                        return;
                    }
                    collected.sort(Comparator.comparing(LogLine::at));
                    collected.forEach(target::line);
                    target.end(ownFailure);
                }
            }
        };
    }
}
