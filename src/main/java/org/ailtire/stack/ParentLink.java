package org.ailtire.stack;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The child side of the control plane: registers this stack with its parent, pushes its status when it changes
 * (the newest status handed to it, coalesced over a short delay) and as a heartbeat every interval, and registers again, with backoff, when the
 * parent is gone or no longer knows this stack (a restarted parent answers 404 to reports).
 *
 * <p>All the link's work runs on its own single thread, so its state needs no locks. What it sends goes through a
 * {@link ParentChannel}.
 */
public final class ParentLink implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ParentLink.class);

    /**
     * @param self           how this stack registers
     * @param heartbeat      how often the status is pushed even without a change
     * @param debounce       how long changes are gathered before one push
     * @param initialBackoff first wait before registering again; doubles up to {@code maxBackoff}
     */
    public record Settings(Registration self, Duration heartbeat, Duration debounce,
                           Duration initialBackoff, Duration maxBackoff) {
    }

    private final Settings settings;
    private final AtomicReference<Status> latest = new AtomicReference<>();
    private final ParentChannel parent;
    private final ScheduledExecutorService thread;
    private final AtomicBoolean pushPending = new AtomicBoolean();
    private final AtomicInteger registrations = new AtomicInteger();
    private volatile boolean registered;
    private Duration backoff;
    private ScheduledFuture<?> heartbeat;

    /** @param parent the link's way to the parent; closed with the link */
    public ParentLink(Settings settings, ParentChannel parent) {
        this.settings = settings;
        this.parent = parent;
        this.backoff = settings.initialBackoff();
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "parent-link");
            t.setDaemon(true);
            return t;
        });
    }

    public void start() {
        thread.execute(this::register);
    }

    /** Hands the link the stack's new status; it is pushed within the debounce delay, once for many changes. */
    public void statusChanged(Status status) {
        latest.set(status);
        if (pushPending.compareAndSet(false, true)) {
            thread.schedule(() -> {
                pushPending.set(false);
                if (registered) {
                    push();
                }
            }, settings.debounce().toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    public boolean isRegistered() {
        return registered;
    }

    /** How many times the parent accepted a registration (1 + re-registrations). */
    public int registrations() {
        return registrations.get();
    }

    @Override
    public void close() {
        thread.shutdownNow();
        parent.close();
    }

    private void register() {
        Registration self = settings.self();
        ParentChannel.Answer answer = parent.register(self);
        if (answer.ok()) {
            registered = true;
            backoff = settings.initialBackoff();
            registrations.incrementAndGet();
            LOG.info("registered with parent {} as {}", parent, self.name());
            push();
            long every = settings.heartbeat().toMillis();
            heartbeat = thread.scheduleWithFixedDelay(this::push, every, every, TimeUnit.MILLISECONDS);
        } else {
            retryRegistration("registration answered " + answer);
        }
    }

    private void push() {
        Status status = latest.get();
        if (!registered || status == null) {
            return;
        }
        ParentChannel.Answer answer = parent.report(settings.self().name(), status);
        if (!answer.ok()) {
            registered = false;
            if (heartbeat != null) {
                heartbeat.cancel(false);
            }
            retryRegistration("status report answered " + answer);
        }
    }

    private void retryRegistration(String why) {
        LOG.warn("parent {}: {}; registering again in {}", parent, why, backoff);
        thread.schedule(this::register, backoff.toMillis(), TimeUnit.MILLISECONDS);
        Duration doubled = backoff.multipliedBy(2);
        backoff = doubled.compareTo(settings.maxBackoff()) > 0 ? settings.maxBackoff() : doubled;
    }
}
