package org.ailtire.swarm.drift;

import org.ailtire.stack.RegistryAuth;
import org.ailtire.stack.StackEvents;
import org.ailtire.swarm.convert.StackResources;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Sees a stack's objects changed or removed behind its controller's back, and has them put back.
 *
 * <p>What the last applied definition produced is read from the engine when that apply succeeded ({@link #resume}).
 * From then on every change the observer publishes (and, as a safety net for objects without events of theirs, a
 * read every {@code Timing#safetyCheck} (30 s)) leads to one read of the namespace's objects, a moment after the changes settle,
 * compared with {@link Drift#between}. Nothing is compared while an update or a repair applies ({@link #pause}): the
 * controller's own changes are never drift. In {@link DriftMode#REPAIR} mode a drift starts a repair, which the
 * stack runs as it runs updates (one at a time, never beside an update or a shutdown); a failed repair is tried
 * again after a delay that doubles up to 5 minutes. Every drift seen and every repair goes to the
 * stack's events list.
 *
 * <p>Checks run on one thread of the watch's own.
 */
public final class DriftWatch implements AutoCloseable {
    /** Who the events list names for what the watch does. */
    public static final String ACTOR = "drift watch";
    private static final Logger LOG = LoggerFactory.getLogger(DriftWatch.class);

    /** What the last successful apply applied, and what it left on the engine. */
    public record Applied(StackResources target, RegistryAuth auth, EngineObjects produced) {
    }

    /**
     * Starts a repair the way the stack runs updates; empty when an update or a shutdown is under way, else what
     * completes with whether the repair succeeded.
     */
    @FunctionalInterface
    public interface Repairs {
        Optional<CompletionStage<Boolean>> start(Applied applied, Drift drift);
    }

    /** How long the watch waits for what (shorter in tests). */
    record Timing(Duration settle, Duration maxSettle, Duration safetyCheck, Duration busyRetry, Duration firstBackoff,
                  Duration maxBackoff) {
        static final Timing DEFAULT = new Timing(Duration.ofMillis(1000), Duration.ofSeconds(5), Duration.ofSeconds(30),
                Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofMinutes(5));
    }

    private final Supplier<EngineObjects> engine;
    private final DriftMode mode;
    private final StackEvents events;
    private final Runnable changed;
    private final Repairs repairs;
    private final Clock clock;
    private final Timing timing;
    private final ScheduledExecutorService executor;

    // Guarded by this.
    private Applied applied;
    private int pauses;
    private Drift drift = Drift.NONE;
    private Instant nextRepairAt = Instant.MIN;
    private Duration backoff;
    private ScheduledFuture<?> nextCheck;
    private Instant checkDueAt;
    private Instant firstUnchecked;
    private boolean closed;

    /**
     * @param engine  reads the stack's objects from the engine
     * @param changed told when the drift changed (the status with it)
     */
    public DriftWatch(String namespace, Supplier<EngineObjects> engine, DriftMode mode, StackEvents events,
                      Runnable changed, Repairs repairs, Clock clock) {
        this(namespace, engine, mode, events, changed, repairs, clock, Timing.DEFAULT);
    }

    DriftWatch(String namespace, Supplier<EngineObjects> engine, DriftMode mode, StackEvents events,
               Runnable changed, Repairs repairs, Clock clock, Timing timing) {
        this.timing = Objects.requireNonNull(timing, "timing");
        this.backoff = timing.firstBackoff();
        this.engine = Objects.requireNonNull(engine, "engine");
        this.mode = Objects.requireNonNull(mode, "mode");
        this.events = Objects.requireNonNull(events, "events");
        this.changed = Objects.requireNonNull(changed, "changed");
        this.repairs = Objects.requireNonNull(repairs, "repairs");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "drift-" + namespace);
            t.setDaemon(true);
            return t;
        });
    }

    public DriftMode mode() {
        return mode;
    }

    /** The drift seen last (none while an apply runs, or before the first apply succeeded). */
    public synchronized Drift current() {
        return drift;
    }

    /** Engine names of the services an apply now should write again (see {@link Drift#rewrites()}). */
    public synchronized Set<String> rewrites() {
        return drift.rewrites();
    }

    /** An apply starts (an update or a repair): what it changes is not drift. */
    public synchronized void pause() {
        pauses++;
    }

    /**
     * An apply ended. When it succeeded, what it produced is read from the engine now and compared with from then on;
     * when it failed, the definition applied before still holds and the next check tells what differs from it.
     *
     * @param target the resources applied, null when the apply failed
     */
    public void resume(StackResources target, RegistryAuth auth) {
        EngineObjects produced = null;
        if (target != null) {
            try {
                produced = engine.get();
            } catch (RuntimeException e) {
                LOG.warn("drift: cannot read what the update produced; not compared until the next update: {}",
                        e.toString());
            }
        }
        synchronized (this) {
            pauses = Math.max(0, pauses - 1);
            if (target != null) {
                applied = produced == null ? null : new Applied(target, auth, produced);
                drift = Drift.NONE;
            }
            scheduleCheck(timing.settle());
        }
        changed.run();
    }

    /** The observer saw a change of the stack's services: check once things settle. */
    public synchronized void observed() {
        Instant now = clock.instant();
        if (firstUnchecked == null) {
            firstUnchecked = now;
        }
        // Each change moves the check a moment later, but not beyond MAX_SETTLE after the first unchecked change.
        if (Duration.between(firstUnchecked, now).compareTo(timing.maxSettle()) < 0) {
            scheduleCheck(timing.settle());
        }
    }

    /** Schedules the next check {@code delay} from now, replacing one planned at another time. */
    private synchronized void scheduleCheck(Duration delay) {
        if (closed) {
            return;
        }
        Instant due = clock.instant().plus(delay);
        if (nextCheck != null && !nextCheck.isDone()) {
            nextCheck.cancel(false);
        }
        checkDueAt = due;
        try {
            nextCheck = executor.schedule(this::check, delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // closed
        }
    }

    /** One comparison; starts a repair when one is due. Runs on the watch's thread. */
    void check() {
        Applied base;
        synchronized (this) {
            firstUnchecked = null;
            if (closed || pauses > 0 || applied == null) {
                return;
            }
            base = applied;
        }
        EngineObjects now;
        try {
            now = engine.get();
        } catch (RuntimeException e) {
            LOG.debug("drift: cannot read the stack's objects: {}", e.toString());
            scheduleCheck(timing.safetyCheck());
            return;
        }
        Drift seen = Drift.between(base.produced(), now);
        boolean news;
        boolean repairNow;
        synchronized (this) {
            if (closed || pauses > 0 || applied != base) {
                return; // an apply started or ended meanwhile: its own changes are not drift
            }
            news = !seen.equals(drift);
            Drift before = drift;
            drift = seen;
            if (news && !seen.isEmpty()) {
                events.add(ACTOR, "drift", "seen", seen.summary());
            } else if (news && !before.isEmpty()) {
                events.add(ACTOR, "drift", "cleared", "the engine matches the definition again");
            }
            Instant at = clock.instant();
            repairNow = mode == DriftMode.REPAIR && !seen.isEmpty() && !at.isBefore(nextRepairAt);
            if (!repairNow && mode == DriftMode.REPAIR && !seen.isEmpty()) {
                scheduleCheck(Duration.between(at, nextRepairAt));
            } else {
                scheduleCheck(timing.safetyCheck());
            }
        }
        if (news) {
            LOG.info("{}", seen.isEmpty() ? "drift cleared" : seen.describe());
            changed.run();
        }
        if (repairNow) {
            repair(base, seen);
        }
    }

    private void repair(Applied base, Drift seen) {
        Optional<CompletionStage<Boolean>> started;
        try {
            started = repairs.start(base, seen);
        } catch (RuntimeException e) {
            LOG.warn("drift: the repair could not start: {}", e.toString());
            started = Optional.empty();
        }
        if (started.isEmpty()) {
            scheduleCheck(timing.busyRetry()); // an update or a shutdown runs; an update checks again when it ends
            return;
        }
        LOG.info("drift repair started: {}", seen.summary());
        started.get().whenComplete((succeeded, error) -> repairEnded(Boolean.TRUE.equals(succeeded) && error == null));
    }

    private synchronized void repairEnded(boolean succeeded) {
        if (succeeded) {
            LOG.info("drift repair succeeded");
            backoff = timing.firstBackoff();
            nextRepairAt = Instant.MIN;
            scheduleCheck(timing.settle());
            return;
        }
        nextRepairAt = clock.instant().plus(backoff);
        LOG.warn("drift: the repair failed; trying again in {} s", backoff.toSeconds());
        scheduleCheck(backoff);
        backoff = backoff.multipliedBy(2).compareTo(timing.maxBackoff()) > 0 ? timing.maxBackoff() : backoff.multipliedBy(2);
    }

    /** When the next check is planned (for tests). */
    synchronized Optional<Instant> checkDueAt() {
        return nextCheck == null || nextCheck.isDone() ? Optional.empty() : Optional.ofNullable(checkDueAt);
    }

    /** Stops watching for good (the stack shuts down): nothing more is compared or repaired. */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            drift = Drift.NONE;
        }
        executor.shutdownNow();
    }
}
