package org.ailtire.swarm.observe;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.model.EventType;
import org.ailtire.swarm.Labels;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Closeable;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The live state of one stack, kept from the Engine events stream: every relevant event refreshes the service it
 * concerns. The stream a manager gives carries service and node events from the whole swarm but container events
 * only from its own node, so the tasks of services that run elsewhere are read again as {@link TaskResync} says (one
 * tasks request for them all; none on a one-node swarm once the stack has settled). When the stream breaks the state
 * is marked disconnected and the observer reconnects with backoff, then reads everything again so that changes made
 * during the outage are seen.
 *
 * <p>One single-threaded executor owns the state; listeners get every snapshot as a value, on that thread, and must
 * not block.
 */
public final class StackObserver implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StackObserver.class);
    private static final Duration FIRST_RETRY = Duration.ofMillis(100);
    private static final Duration MAX_RETRY = Duration.ofSeconds(5);
    private static final Duration FIRST_RECHECK = Duration.ofMillis(300);
    private static final int RECHECKS = 4;
    private static final Set<String> CONTAINER_ENDS = Set.of("die", "oom", "kill");
    private static final Set<String> TERMINAL = Set.of("complete", "shutdown", "failed", "rejected", "remove", "orphaned");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final String SERVICE_ID_LABEL = "com.docker.swarm.service.id";

    private final DockerClient docker;
    private final String namespace;
    private final ServiceReader reader;
    private final TaskResync resync;
    private final ScheduledExecutorService executor;
    private final AtomicReference<StackState> published;
    private final List<Consumer<StackState>> listeners = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Void> firstSync = new CompletableFuture<>();

    // Owned by the executor thread.
    private final Map<String, ServiceState> services = new HashMap<>();
    private Map<String, NodeInfo> nodes = Map.of();
    private String localNode;
    private ScheduledFuture<?> nextResync;
    private int nextResyncGeneration;
    private boolean connected;
    private long version;
    private int generation;
    private EventStream stream;
    private Duration retryDelay = FIRST_RETRY;
    private volatile boolean closed;
    private boolean started;

    public StackObserver(DockerClient docker, String namespace) {
        this(docker, namespace, TaskResync.DEFAULT);
    }

    public StackObserver(DockerClient docker, String namespace, TaskResync resync) {
        this.docker = Objects.requireNonNull(docker, "docker");
        this.namespace = Objects.requireNonNull(namespace, "namespace");
        this.resync = Objects.requireNonNull(resync, "resync");
        this.reader = new ServiceReader(docker, namespace);
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "stack-observer-" + namespace);
            t.setDaemon(true);
            return t;
        });
        this.published = new AtomicReference<>(StackState.empty(namespace));
    }

    /**
     * Reads the current services and tasks of the namespace, then follows the events stream; returns once the
     * initial state is loaded.
     *
     * @throws IllegalStateException when the engine cannot be reached or the observer was started before
     */
    public synchronized void start() {
        if (started || closed) {
            throw new IllegalStateException("observer of " + namespace + " was already started or closed");
        }
        started = true;
        onExecutor(this::openStream);
        try {
            firstSync.get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new IllegalStateException("interrupted while loading the state of stack " + namespace, e);
        } catch (ExecutionException | TimeoutException e) {
            close();
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new IllegalStateException("cannot load the state of stack " + namespace + ": " + cause.getMessage(), cause);
        }
    }

    /** The latest snapshot (empty and disconnected before {@link #start()}). */
    public StackState state() {
        return published.get();
    }

    /** Calls the listener after every change with the new snapshot, on the observer's thread; it must not block. */
    public AutoCloseable subscribe(Consumer<StackState> listener) {
        Objects.requireNonNull(listener, "listener");
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    @Override
    public void close() {
        closed = true;
        EventStream current = stream;
        if (current != null) {
            current.closeQuietly();
        }
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        firstSync.completeExceptionally(new IllegalStateException("observer closed"));
    }

    private void openStream() {
        if (closed) {
            return;
        }
        int streamGeneration = ++generation;
        stream = new EventStream(streamGeneration);
        try {
            docker.eventsCmd()
                    .withEventTypeFilter(EventType.SERVICE, EventType.CONTAINER, EventType.NODE)
                    .withEventFilter("create", "update", "remove", "start", "die", "oom", "kill", "destroy")
                    .exec(stream);
        } catch (RuntimeException e) {
            streamEnded(streamGeneration, e);
        }
    }

    /** The engine has answered the events request: events from now on reach us, so read the full state. */
    private void streamOpened(int streamGeneration) {
        if (streamGeneration != generation || closed) {
            return;
        }
        Map<String, ServiceState> fresh;
        Map<String, NodeInfo> freshNodes;
        try {
            if (localNode == null) {
                localNode = reader.localNodeId();
            }
            freshNodes = reader.readNodes();
            fresh = reader.readAll(Instant.now());
        } catch (RuntimeException e) {
            stream.closeQuietly();
            streamEnded(streamGeneration, e);
            return;
        }
        Instant now = Instant.now();
        boolean changed = services.keySet().retainAll(fresh.keySet());
        for (ServiceState s : fresh.values()) {
            changed |= put(s, now);
        }
        changed |= !freshNodes.equals(nodes) || !connected;
        nodes = freshNodes;
        connected = true;
        retryDelay = FIRST_RETRY;
        if (changed) {
            publish();
        }
        planResync();
        firstSync.complete(null);
    }

    private void streamEnded(int streamGeneration, Throwable error) {
        if (streamGeneration != generation || closed) {
            return;
        }
        generation++; // late callbacks of the broken stream are ignored from now on
        if (!firstSync.isDone()) {
            firstSync.completeExceptionally(error != null ? error : new IllegalStateException("events stream ended"));
            return;
        }
        LOG.info("events stream of stack {} ended ({}); reconnecting in {} ms", namespace,
                error == null ? "closed by the engine" : error.toString(), retryDelay.toMillis());
        if (connected) {
            connected = false;
            publish();
        }
        Duration delay = retryDelay;
        retryDelay = retryDelay.multipliedBy(2).compareTo(MAX_RETRY) > 0 ? MAX_RETRY : retryDelay.multipliedBy(2);
        schedule(this::openStream, delay);
    }

    private void eventArrived(int streamGeneration, Event event) {
        if (streamGeneration != generation || closed || !connected || event.getType() == null) {
            return;
        }
        Map<String, String> attributes = event.getActor() == null || event.getActor().getAttributes() == null
                ? Map.of() : event.getActor().getAttributes();
        switch (event.getType()) {
            case SERVICE -> {
                String id = event.getActor() == null ? null : event.getActor().getId();
                String name = attributes.getOrDefault("name", "");
                if (id != null && (name.startsWith(namespace + "_") || services.containsKey(id))) {
                    refresh(id);
                }
            }
            case CONTAINER -> {
                String serviceId = attributes.get(SERVICE_ID_LABEL);
                if (namespace.equals(attributes.get(Labels.NAMESPACE)) && serviceId != null) {
                    refresh(serviceId);
                    String died = CONTAINER_ENDS.contains(event.getAction()) ? event.getActor().getId() : null;
                    scheduleRecheck(serviceId, died, generation, 0);
                }
            }
            // A node going down, drained or coming back changes where and whether tasks run.
            case NODE -> streamOpened(generation);
            default -> { }
        }
    }

    /**
     * Swarm records what happened to a container (running, failed) a moment after the container event, with no
     * event of its own; so a container event is followed by a few spaced re-reads of its service while one of its
     * tasks is between states.
     */
    private void scheduleRecheck(String serviceId, String diedContainer, int streamGeneration, int attempt) {
        if (attempt >= RECHECKS) {
            return;
        }
        schedule(() -> {
            if (streamGeneration != generation || !connected) {
                return;
            }
            refresh(serviceId);
            ServiceState state = services.get(serviceId);
            if (state != null && state.tasks().stream().anyMatch(t -> inTransition(t, diedContainer))) {
                scheduleRecheck(serviceId, diedContainer, streamGeneration, attempt + 1);
            }
        }, FIRST_RECHECK.multipliedBy(1L << attempt));
    }

    private static boolean inTransition(TaskInfo task, String diedContainer) {
        boolean running = "running".equals(task.state());
        if (running && diedContainer != null && diedContainer.equals(task.containerId())) {
            return true;
        }
        return "running".equals(task.desiredState()) != running
                && task.state() != null && !TERMINAL.contains(task.state());
    }

    private void refresh(String serviceId) {
        Optional<ServiceState> fresh;
        try {
            fresh = reader.read(serviceId, Instant.now());
        } catch (RuntimeException e) {
            // The stream breaking will follow and the resync will catch up.
            LOG.debug("cannot refresh service {} of stack {}: {}", serviceId, namespace, e.toString());
            return;
        }
        boolean changed = fresh.map(s -> put(s, Instant.now())).orElseGet(() -> services.remove(serviceId) != null);
        if (changed) {
            publish();
        }
        planResync();
    }

    /** Schedules the next read of the silent services' tasks (see {@link TaskResync}), replacing one planned later. */
    private void planResync() {
        if (closed || !connected) {
            return;
        }
        Optional<Duration> delay = resync.next(services.values(), localNode);
        if (delay.isEmpty()) {
            return;
        }
        if (nextResync != null && !nextResync.isDone()) {
            // One planned on the current stream that comes soon enough stays; one of a broken stream would do nothing.
            if (nextResyncGeneration == generation
                    && nextResync.getDelay(TimeUnit.MILLISECONDS) <= delay.get().toMillis()) {
                return;
            }
            nextResync.cancel(false);
        }
        int planned = generation;
        nextResyncGeneration = planned;
        nextResync = schedule(() -> resyncTasks(planned), delay.get());
    }

    private void resyncTasks(int streamGeneration) {
        if (streamGeneration != generation || closed || !connected) {
            return;
        }
        Map<String, ServiceState> fresh;
        try {
            fresh = reader.readTasks(resync.silentServices(services.values(), localNode), Instant.now());
        } catch (RuntimeException e) {
            LOG.debug("cannot read the tasks of stack {}: {}", namespace, e.toString());
            fresh = Map.of();
        }
        Instant now = Instant.now();
        boolean changed = false;
        for (ServiceState s : fresh.values()) {
            changed |= services.containsKey(s.id()) && put(s, now);
        }
        if (changed) {
            publish();
        }
        nextResync = null;
        planResync();
    }

    /** Stores the service; true when it differs from what was known (apart from when it changed). */
    private boolean put(ServiceState fresh, Instant now) {
        ServiceState known = services.get(fresh.id());
        if (known != null && known.equals(fresh.withChangedAt(known.changedAt()))) {
            return false;
        }
        services.put(fresh.id(), fresh.withChangedAt(now));
        return true;
    }

    private void publish() {
        Map<String, ServiceState> byKey = new TreeMap<>();
        services.values().forEach(s -> byKey.put(s.key(), s));
        StackState snapshot = new StackState(namespace, byKey, nodes, connected, Instant.now(), ++version);
        published.set(snapshot);
        for (Consumer<StackState> listener : listeners) {
            try {
                listener.accept(snapshot);
            } catch (RuntimeException e) {
                LOG.warn("a listener of stack {} failed", namespace, e);
            }
        }
    }

    private void onExecutor(Runnable task) {
        try {
            executor.execute(task);
        } catch (RejectedExecutionException e) {
            // closed
        }
    }

    private ScheduledFuture<?> schedule(Runnable task, Duration delay) {
        try {
            return executor.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            return null; // closed
        }
    }

    /** One events request; its callbacks arrive on a client thread and are handed to the executor. */
    private final class EventStream extends ResultCallback.Adapter<Event> {
        private final int streamGeneration;

        EventStream(int streamGeneration) {
            this.streamGeneration = streamGeneration;
        }

        @Override
        public void onStart(Closeable closeable) {
            super.onStart(closeable);
            onExecutor(() -> streamOpened(streamGeneration));
        }

        @Override
        public void onNext(Event event) {
            onExecutor(() -> eventArrived(streamGeneration, event));
        }

        @Override
        public void onError(Throwable throwable) {
            onExecutor(() -> streamEnded(streamGeneration, throwable));
            closeQuietly();
        }

        @Override
        public void onComplete() {
            onExecutor(() -> streamEnded(streamGeneration, null));
            closeQuietly();
        }

        void closeQuietly() {
            try {
                close();
            } catch (Exception ignored) {
                // the stream is gone either way
            }
        }
    }
}
