package org.ailtire.stack;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;

/** The recent events of one stack, oldest first; the oldest are dropped beyond {@code capacity}. Thread safe. */
public final class StackEvents {
    private final Clock clock;
    private final int capacity;
    private final ArrayDeque<StackEvent> events = new ArrayDeque<>();
    private long sequence;

    public StackEvents(Clock clock, int capacity) {
        this.clock = clock;
        this.capacity = capacity;
    }

    public StackEvent add(String actor, String action, String result, String detail) {
        return add(clock.instant(), actor, action, result, detail);
    }

    /** An event that happened earlier (from a stored history), kept in time order with the rest. */
    public synchronized StackEvent add(Instant at, String actor, String action, String result, String detail) {
        StackEvent event = new StackEvent(++sequence, at, actor == null ? "" : actor, action, result,
                detail == null ? "" : detail);
        events.addLast(event);
        while (events.size() > capacity) {
            events.removeFirst();
        }
        return event;
    }

    /** The events after {@code afterSequence}, oldest first. */
    public synchronized List<StackEvent> since(long afterSequence) {
        return events.stream().filter(e -> e.sequence() > afterSequence).toList();
    }

    public List<StackEvent> all() {
        return since(0);
    }
}
