package org.ailtire.stack;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** One update of a stack: its progress events so far, and its outcome once done. Thread safe. */
public final class Update {
    public enum State { RUNNING, SUCCEEDED, FAILED }

    /** A snapshot for clients. */
    public record View(String id, State state, Instant startedAt, Instant finishedAt, String error,
                       List<UpdateEvent> events) {
    }

    /** Receives the events of one update, then {@link #finished} once. */
    public interface Listener {
        void event(UpdateEvent event);

        void finished(View outcome);
    }

    private final String id;
    private final Clock clock;
    private final Instant startedAt;
    private final List<UpdateEvent> events = new ArrayList<>();
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private State state = State.RUNNING;
    private Instant finishedAt;
    private String error;

    Update(String id, Clock clock) {
        this.id = id;
        this.clock = clock;
        this.startedAt = clock.instant();
    }

    public String id() {
        return id;
    }

    public synchronized View view() {
        return new View(id, state, startedAt, finishedAt, error, List.copyOf(events));
    }

    public synchronized boolean isRunning() {
        return state == State.RUNNING;
    }

    /**
     * Replays the events so far to {@code listener}, then keeps it informed; a finished update is replayed and
     * finished at once. Listeners are called under this update's lock, in order, so they must not block.
     * Returns what stops the subscription.
     */
    public synchronized Runnable subscribe(Listener listener) {
        events.forEach(listener::event);
        if (state == State.RUNNING) {
            listeners.add(listener);
        } else {
            listener.finished(view());
        }
        return () -> listeners.remove(listener);
    }

    synchronized void report(String phase, String subject, String message) {
        if (state != State.RUNNING) {
            return;
        }
        UpdateEvent event = new UpdateEvent(events.size(), clock.instant(), phase, subject == null ? "" : subject,
                message == null ? "" : message);
        events.add(event);
        listeners.forEach(l -> l.event(event));
    }

    synchronized void finish(Throwable failure) {
        report(failure == null ? "done" : "failed", "", failure == null ? "" : String.valueOf(failure.getMessage()));
        state = failure == null ? State.SUCCEEDED : State.FAILED;
        error = failure == null ? null : String.valueOf(failure.getMessage());
        finishedAt = clock.instant();
        View outcome = view();
        listeners.forEach(l -> l.finished(outcome));
        listeners.clear();
    }
}
