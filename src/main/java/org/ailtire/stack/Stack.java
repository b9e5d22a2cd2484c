package org.ailtire.stack;

import org.ailtire.definition.DefinitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A stack: a service that runs other services and child stacks (the spec's abstract Stack).
 *
 * <p>This class holds what does not depend on the container engine: the status tree (own services, then
 * registered child stacks), registration, update bookkeeping and progress, and the shutdown order (children
 * first, bottom-up). An engine implementation supplies the services' statuses, the update itself, stopping the
 * own services and the logs, and calls {@link #changed()} when its services change.
 */
public abstract class Stack extends Service {
    private static final Logger LOG = LoggerFactory.getLogger(Stack.class);

    /** The engine part of one update, run off the caller's thread; it reports its steps as it goes. */
    @FunctionalInterface
    public interface UpdateJob {
        void run(UpdateProgress progress) throws Exception;
    }

    private final ChildRegistry children;
    private final ChildCommands childCommands;
    private final Clock clock;
    private final Executor executor;
    private final Duration childShutdownTimeout;
    private final Updates updates;
    private final List<Consumer<Status>> listeners = new CopyOnWriteArrayList<>();
    private final Object delivery = new Object();
    private volatile Status.State state = Status.State.RUNNING;
    private volatile String message = "";
    private volatile AppliedDefinition applied;
    private CompletableFuture<Void> shutdown;

    protected Stack(String name, ChildRegistry children, ChildCommands childCommands, Clock clock,
                    Executor executor, Duration childShutdownTimeout) {
        super(name);
        this.children = children;
        this.childCommands = childCommands;
        this.clock = clock;
        this.executor = executor;
        this.childShutdownTimeout = childShutdownTimeout;
        this.updates = new Updates(clock, executor);
        children.addListener(this::changed);
    }

    /** The statuses of this stack's own services (not the child stacks), in a stable order. */
    protected abstract List<Status> serviceStatuses();

    /**
     * Checks an update request and prepares the job that applies it.
     *
     * @throws DefinitionException when the definition cannot be used, with every problem found
     */
    protected abstract UpdateJob prepareUpdate(UpdateRequest request) throws DefinitionException;

    /** Stops and removes this stack's own services; child stacks have already shut down. */
    protected abstract void stopOwnServices() throws Exception;

    @Override
    public final Status status() {
        List<Status> tree = new ArrayList<>(serviceStatuses());
        tree.addAll(children.statuses());
        return Status.stack(name(), state, message, null, clock.instant(), tree);
    }

    /**
     * Starts an update; its progress is on the returned handle.
     *
     * @throws DefinitionException        when the definition is unusable (nothing was started)
     * @throws UpdateInProgressException when another update still runs
     */
    public final Update update(UpdateRequest request) throws DefinitionException {
        requireNotShuttingDown();
        UpdateJob job = prepareUpdate(request);
        Update update = updates.start(progress -> {
            setState(Status.State.UPDATING, "update running");
            job.run(progress);
            applied = new AppliedDefinition(request.definition(), clock.instant());
        }, () -> {
            if (state == Status.State.UPDATING) {
                setState(Status.State.RUNNING, "");
            }
        });
        return update;
    }

    /** The definition of the last update that succeeded; empty before the first one. */
    public final Optional<AppliedDefinition> appliedDefinition() {
        return Optional.ofNullable(applied);
    }

    public final Optional<Update> findUpdate(String id) {
        return updates.find(id);
    }

    /**
     * Shuts the stack down bottom-up: every registered child stack first (each given a bounded time), then the
     * own services. Asking again returns the shutdown already under way.
     */
    public final synchronized CompletableFuture<Void> shutdown() {
        if (shutdown != null) {
            return shutdown;
        }
        // An update still applying would recreate what the shutdown removes: let it finish first.
        boolean updating = !updates.idle().isDone();
        setState(Status.State.STOPPING, updating ? "waiting for the running update" : "shutting down child stacks");
        shutdown = updates.idle()
                .thenCompose(idle -> {
                    setState(Status.State.STOPPING, "shutting down child stacks");
                    List<CompletableFuture<Void>> childStops = children.children().stream()
                            .map(child -> childCommands.shutdown(child.registration())
                                    .orTimeout(childShutdownTimeout.toMillis(), TimeUnit.MILLISECONDS)
                                    .exceptionally(e -> {
                                        LOG.warn("child stack {} did not confirm its shutdown: {}",
                                                child.registration().name(), e.toString());
                                        return null;
                                    }))
                            .toList();
                    return CompletableFuture.allOf(childStops.toArray(CompletableFuture[]::new));
                })
                .thenRunAsync(() -> {
                    setState(Status.State.STOPPING, "stopping own services");
                    try {
                        stopOwnServices();
                    } catch (Exception e) {
                        setState(Status.State.FAILED, "shutdown failed: " + e.getMessage());
                        throw new IllegalStateException("shutdown of " + name() + " failed", e);
                    }
                    setState(Status.State.STOPPED, "");
                }, executor);
        return shutdown;
    }

    public final ChildRegistry.Child register(Registration registration) {
        requireNotShuttingDown();
        if (registration.name().equals(name())) {
            throw new IllegalArgumentException("name: a stack cannot register as its own child: " + name());
        }
        return children.register(registration);
    }

    /** @return false when the child is not registered (it must register again) */
    public final boolean report(String childName, Status reported) {
        return children.report(childName, reported);
    }

    public final ChildRegistry children() {
        return children;
    }

    /**
     * Hears of every change of the status tree (from any thread, one delivery at a time, so the last status a
     * listener got is the newest); returns what removes the listener. Listeners must not block.
     */
    public final Runnable onChange(Consumer<Status> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /**
     * Like {@link #onChange}, but hands the status now to the listener first: no change can fall between that
     * first status and the subscription, nor be delivered before it.
     */
    public final Runnable watch(Consumer<Status> listener) {
        synchronized (delivery) {
            listener.accept(status());
            listeners.add(listener);
        }
        return () -> listeners.remove(listener);
    }

    /** Implementations call this when one of their services changed. */
    protected final void changed() {
        if (listeners.isEmpty()) {
            return;
        }
        // Changes come from several threads (engine events, updates, child reports): taking the status and
        // delivering it under one lock keeps an older status from overtaking a newer one on its way out.
        synchronized (delivery) {
            Status now = status();
            listeners.forEach(l -> l.accept(now));
        }
    }

    protected final Clock clock() {
        return clock;
    }

    private void setState(Status.State newState, String newMessage) {
        state = newState;
        message = newMessage;
        changed();
    }

    private void requireNotShuttingDown() {
        if (state == Status.State.STOPPING || state == Status.State.STOPPED) {
            throw new IllegalStateException("stack " + name() + " is shutting down");
        }
    }
}
