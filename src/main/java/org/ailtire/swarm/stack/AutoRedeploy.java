package org.ailtire.swarm.stack;

import org.ailtire.stack.RegistryAuth;
import org.ailtire.stack.UpdateInProgressException;
import org.ailtire.swarm.registry.Distribution;
import org.ailtire.swarm.registry.ImageReference;
import org.ailtire.swarm.registry.Resolution;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Follows the tags of the services that opt in with {@code x-ailtire: {auto_redeploy: <interval>}}: every interval,
 * a service's tag is asked of its registry, and when it points to another digest than the service runs, the service
 * is refreshed (an update kept in the history, so a rollback returns to the digest it ran before). The timers of the
 * version applied now are armed after each update; ticks run one at a time, on one daemon thread, so two refreshes
 * of the stack never start at once (and the stack refuses an update while another runs).
 */
final class AutoRedeploy implements AutoCloseable {
    /** Who refreshes, for the history and the events list. */
    static final String ACTOR = "auto-redeploy";
    private static final Logger LOG = LoggerFactory.getLogger(AutoRedeploy.class);

    /** A service that follows its tag: the image as the definition names it, asked every {@code interval}. */
    record Watched(String service, String image, Duration interval) {
    }

    /** The services of a definition that follow their tags, and the credentials their registries are asked with. */
    record Watch(List<Watched> services, RegistryAuth auth) {
        static final Watch NONE = new Watch(List.of(), RegistryAuth.NONE);

        Watch {
            services = List.copyOf(services);
        }
    }

    /** Starts the update that resolves one service's tag again (see {@code Stack#refreshImages}). */
    @FunctionalInterface
    interface Refresh {
        void refresh(String service) throws Exception;
    }

    /** Where the ticks run: one thread, in the order they are due. */
    interface Timers extends AutoCloseable {
        /** Runs {@code task} every {@code interval}, the first time one interval from now; returns what cancels it. */
        Runnable every(Duration interval, Runnable task);

        /** Runs {@code task} soon, on the timers' thread (nothing once closed). */
        void execute(Runnable task);

        @Override
        void close();

        /** A single daemon thread. */
        static Timers daemon(String name) {
            ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(
                    Thread.ofPlatform().name(name).daemon().factory());
            return new Timers() {
                @Override
                public Runnable every(Duration interval, Runnable task) {
                    long millis = interval.toMillis();
                    try {
                        ScheduledFuture<?> timer = executor.scheduleWithFixedDelay(task, millis, millis,
                                TimeUnit.MILLISECONDS);
                        return () -> timer.cancel(false);
                    } catch (RejectedExecutionException closed) {
                        return () -> { };
                    }
                }

                @Override
                public void execute(Runnable task) {
                    try {
                        executor.execute(task);
                    } catch (RejectedExecutionException closed) {
                        LOG.debug("{}: closed, not run", name);
                    }
                }

                @Override
                public void close() {
                    executor.shutdownNow();
                }
            };
        }
    }

    private record Armed(Watched watched, Runnable cancel) {
    }

    private final String stack;
    private final Distribution distribution;
    private final Supplier<Map<String, String>> running;
    private final Refresh refresh;
    private final Timers timers;
    private final Map<String, Armed> armed = new HashMap<>();
    /** Why each service's registry failed when it last failed; a service is here until its registry answers again. */
    private final Map<String, String> failing = new ConcurrentHashMap<>();
    private final Object ticking = new Object();
    private volatile RegistryAuth auth = RegistryAuth.NONE;
    private boolean closed;

    /**
     * @param stack   the stack's path, for the log
     * @param running the image each service of the stack runs now, by service key
     */
    AutoRedeploy(String stack, Distribution distribution, Supplier<Map<String, String>> running, Refresh refresh) {
        this(stack, distribution, running, refresh, Timers.daemon("auto-redeploy-" + stack));
    }

    AutoRedeploy(String stack, Distribution distribution, Supplier<Map<String, String>> running, Refresh refresh,
                 Timers timers) {
        this.stack = stack;
        this.distribution = distribution;
        this.running = running;
        this.refresh = refresh;
        this.timers = timers;
    }

    /**
     * Arms the timers of what {@code watch} gives, replacing those of the version applied before; it is asked on the
     * timers' thread (it may read the history), in the order arming is asked. A service followed as before keeps its
     * timer, so updates more frequent than its interval do not keep putting its tick off.
     */
    void arm(Supplier<Watch> watch) {
        timers.execute(() -> {
            try {
                arm(watch.get());
            } catch (RuntimeException e) {
                LOG.warn("stack {}: auto-redeploy not armed: {}", stack, e.toString());
            }
        });
    }

    private synchronized void arm(Watch watch) {
        if (closed) {
            return;
        }
        auth = watch.auth();
        Map<String, Watched> wanted = new HashMap<>();
        watch.services().forEach(watched -> wanted.put(watched.service(), watched));
        armed.values().removeIf(timer -> {
            boolean dropped = !timer.watched().equals(wanted.get(timer.watched().service()));
            if (dropped) {
                timer.cancel().run();
                failing.remove(timer.watched().service());
            }
            return dropped;
        });
        for (Watched watched : wanted.values()) {
            if (!armed.containsKey(watched.service())) {
                armed.put(watched.service(), new Armed(watched, timers.every(watched.interval(), () -> tick(watched))));
                LOG.info("stack {}: auto-redeploy of {} ({}) every {}", stack, watched.service(), watched.image(),
                        written(watched.interval()));
            }
        }
    }

    /** Asks the service's registry for its tag and refreshes the service when the tag moved; never throws. */
    private void tick(Watched watched) {
        synchronized (ticking) {
            try {
                if (isClosed()) {
                    return;
                }
                check(watched);
            } catch (RuntimeException e) {
                LOG.warn("stack {}: auto-redeploy of {} failed: {}", stack, watched.service(), e.toString());
            }
        }
    }

    private void check(Watched watched) {
        String service = watched.service();
        String runs = running.get().get(service);
        ImageReference tag = ImageReference.parse(watched.image());
        if (runs == null || !ImageReference.parse(runs).pinned()
                || !ImageReference.parse(runs).unpinned().equals(tag.unpinned())) {
            LOG.debug("stack {}: auto-redeploy of {} skipped: it runs {}, not {} pinned to a digest", stack, service,
                    runs, watched.image());
            return;
        }
        Resolution answer;
        try {
            answer = distribution.resolve(tag, auth.forRegistry(tag.registry()));
        } catch (RuntimeException e) {
            answer = new Resolution.Unresolved(e.toString());
        }
        switch (answer) {
            case Resolution.Digest digest -> {
                if (failing.remove(service) != null) {
                    LOG.info("stack {}: auto-redeploy of {}: the registry answers for {} again", stack, service,
                            watched.image());
                }
                String now = ImageReference.parse(runs).digest();
                if (!digest.digest().equals(now)) {
                    refresh(service, watched.image() + " moved from " + now + " to " + digest.digest());
                }
            }
            case Resolution.Unresolved unresolved -> failed(watched, unresolved.reason());
            case Resolution.Refused refused -> failed(watched, refused.reason());
        }
    }

    private void refresh(String service, String why) {
        try {
            refresh.refresh(service);
            LOG.info("stack {}: auto-redeploy of {}: {}; refreshing", stack, service, why);
        } catch (UpdateInProgressException | IllegalStateException busy) {
            // An update runs, or the stack shuts down: the next tick asks again.
            LOG.debug("stack {}: auto-redeploy of {} put off to its next tick: {}", stack, service, busy.getMessage());
        } catch (Exception e) {
            LOG.warn("stack {}: auto-redeploy of {} ({}) could not start: {}", stack, service, why, e.getMessage());
        }
    }

    /** A registry that fails is told once, until it answers again (each tick asks anyway). */
    private void failed(Watched watched, String why) {
        if (failing.put(watched.service(), why) == null) {
            LOG.warn("stack {}: auto-redeploy of {}: the registry does not answer for {}: {}; asked again every {}",
                    stack, watched.service(), watched.image(), why, written(watched.interval()));
        } else {
            LOG.debug("stack {}: auto-redeploy of {}: the registry still does not answer: {}", stack,
                    watched.service(), why);
        }
    }

    /** An interval as a definition writes it ({@code 5m}, {@code 1h30m}). */
    private static String written(Duration interval) {
        return interval.toString().substring(2).toLowerCase(Locale.ROOT);
    }

    private synchronized boolean isClosed() {
        return closed;
    }

    /** Stops every timer; nothing is armed or refreshed from now on. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            armed.values().forEach(timer -> timer.cancel().run());
            armed.clear();
        }
        timers.close();
    }
}
