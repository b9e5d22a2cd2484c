package org.ailtire.stack;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The child stacks registered with this stack and the status each last reported.
 *
 * <p>Children push their status and a heartbeat; a child silent for {@code missedHeartbeats} intervals is marked
 * unreachable (by one timer per registry, see {@link #start()}); its next report makes it reachable again. An original
 * child stack sends nothing: its parent polls it and reports what it found (see {@link #unreachable}), so the timer
 * leaves it alone.
 * Registering again under the same name replaces the registration. Listeners hear of every change.
 */
public final class ChildRegistry implements AutoCloseable {

    /** A registered child as the parent sees it. */
    public record Child(Registration registration, Status status, Instant registeredAt, Instant lastSeen) {
        public boolean reachable() {
            return status.state() != Status.State.UNREACHABLE;
        }
    }

    private final Clock clock;
    private final Duration heartbeatInterval;
    private final Duration silenceLimit;
    private final Map<String, Child> children = new LinkedHashMap<>();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private ScheduledExecutorService timer;

    public ChildRegistry(Clock clock, Duration heartbeatInterval, int missedHeartbeats) {
        if (heartbeatInterval.isNegative() || heartbeatInterval.isZero() || missedHeartbeats < 1) {
            throw new IllegalArgumentException("heartbeat interval must be positive and missed heartbeats >= 1");
        }
        this.clock = clock;
        this.heartbeatInterval = heartbeatInterval;
        this.silenceLimit = heartbeatInterval.multipliedBy(missedHeartbeats);
    }

    public Duration heartbeatInterval() {
        return heartbeatInterval;
    }

    /** Starts the timer that marks silent children unreachable, checking every half heartbeat interval. */
    public synchronized void start() {
        if (timer != null) {
            return;
        }
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "child-heartbeats");
            t.setDaemon(true);
            return t;
        });
        long period = Math.max(1, heartbeatInterval.toMillis() / 2);
        timer.scheduleAtFixedRate(this::checkHeartbeats, period, period, TimeUnit.MILLISECONDS);
    }

    public Child register(Registration registration) {
        Instant now = clock.instant();
        Status waiting = new Status(Status.Type.STACK, registration.name(), Status.State.STARTING,
                "registered, no report yet", Aggregate.STARTING, registration.url(), now, List.of(), List.of(),
                List.of(), null, null);
        Child child = new Child(registration, waiting, now, now);
        synchronized (this) {
            children.put(registration.name(), child);
        }
        notifyListeners();
        return child;
    }

    /**
     * Records what a child reported (its status tree, which is also its heartbeat).
     *
     * @return false when no child of that name is registered (it must register again)
     */
    public boolean report(String name, Status reported) {
        Instant now = clock.instant();
        boolean changed;
        synchronized (this) {
            Child child = children.get(name);
            if (child == null) {
                return false;
            }
            Status seen = reported.as(name, child.registration().url());
            changed = !sameApartFromTime(seen, child.status());
            children.put(name, new Child(child.registration(), seen, child.registeredAt(), now));
        }
        if (changed) {
            notifyListeners();
        }
        return true;
    }

    /**
     * Marks a child unreachable now, keeping what it last told (a poll of an original child that failed).
     *
     * @return false when no child of that name is registered
     */
    public boolean unreachable(String name, String why) {
        Instant now = clock.instant();
        synchronized (this) {
            Child child = children.get(name);
            if (child == null) {
                return false;
            }
            if (!child.reachable() && child.status().message().equals(why)) {
                return true;
            }
            children.put(name, new Child(child.registration(), child.status().unreachable(why, now),
                    child.registeredAt(), child.lastSeen()));
        }
        notifyListeners();
        return true;
    }

    public boolean remove(String name) {
        boolean removed;
        synchronized (this) {
            removed = children.remove(name) != null;
        }
        if (removed) {
            notifyListeners();
        }
        return removed;
    }

    /** Marks every child silent for longer than the limit unreachable. Called by the timer; public for tests. */
    public void checkHeartbeats() {
        Instant now = clock.instant();
        boolean changed = false;
        synchronized (this) {
            for (Map.Entry<String, Child> entry : children.entrySet()) {
                Child child = entry.getValue();
                Duration silence = Duration.between(child.lastSeen(), now);
                if (child.reachable() && !child.registration().isOriginal() && silence.compareTo(silenceLimit) > 0) {
                    Status marked = child.status().unreachable(
                            "no heartbeat for " + silence.toSeconds() + "s (limit " + silenceLimit.toSeconds() + "s)",
                            now);
                    entry.setValue(new Child(child.registration(), marked, child.registeredAt(), child.lastSeen()));
                    changed = true;
                }
            }
        }
        if (changed) {
            notifyListeners();
        }
    }

    public synchronized List<Child> children() {
        return List.copyOf(children.values());
    }

    public synchronized Optional<Child> find(String name) {
        return Optional.ofNullable(children.get(name));
    }

    public synchronized List<Status> statuses() {
        List<Status> statuses = new ArrayList<>();
        children.values().forEach(c -> statuses.add(c.status()));
        return statuses;
    }

    /** @return what removes the listener */
    public Runnable addListener(Runnable listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    @Override
    public synchronized void close() {
        if (timer != null) {
            timer.shutdownNow();
            timer = null;
        }
    }

    private void notifyListeners() {
        listeners.forEach(Runnable::run);
    }

    /** A heartbeat that repeats the last status is not a change. */
    private static boolean sameApartFromTime(Status a, Status b) {
        return a.type() == b.type() && a.state() == b.state() && a.aggregate() == b.aggregate()
                && a.message().equals(b.message()) && a.children().size() == b.children().size()
                && java.util.stream.IntStream.range(0, a.children().size())
                .allMatch(i -> sameApartFromTime(a.children().get(i), b.children().get(i)))
                && a.name().equals(b.name());
    }
}
