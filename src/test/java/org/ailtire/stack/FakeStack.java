package org.ailtire.stack;

import org.ailtire.definition.DefinitionException;
import org.ailtire.definition.Problem;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * An in-memory stack for tests: services whose states tests set, updates that wait for a latch, logs from a list,
 * followed logs that stay open until closed.
 */
public final class FakeStack extends Stack {
    public final Map<String, Status.State> services = new LinkedHashMap<>();
    public final List<LogLine> logLines = new ArrayList<>();
    public final List<String> events = java.util.Collections.synchronizedList(new ArrayList<>());
    public final Map<String, String> messages = new java.util.concurrent.ConcurrentHashMap<>();
    public volatile CountDownLatch updateGate = new CountDownLatch(0);
    /** Preparing an update (reading its definition) waits for this gate, after counting {@link #preparing} down. */
    public volatile CountDownLatch prepareGate = new CountDownLatch(0);
    public final CountDownLatch preparing = new CountDownLatch(1);
    /** When set, updates fail with this message after passing the gate. */
    public volatile String updateFailure;
    /** When set, update jobs report these as the images they pinned. */
    public volatile Map<String, String> pinned;
    /** The request of the last update (or preview) this stack prepared. */
    public volatile UpdateRequest lastRequest;
    public volatile int openFollows;
    /** When set, a follow also runs this on a thread of its own with the sink (a source that may block). */
    public volatile java.util.function.Consumer<LogSink> followSource;
    /** What {@link #logStreams} answers for a request of the whole stack. */
    public volatile int stackLogStreams = 1;
    /** What {@link #drift()} answers (empty: not drifted). */
    public volatile String drifted = "";
    /** The child stacks that may register, by key, with the URL each must register with. */
    public final Map<String, String> childStacks = new java.util.concurrent.ConcurrentHashMap<>();
    public final java.util.concurrent.atomic.AtomicInteger shutdownsStarted = new java.util.concurrent.atomic.AtomicInteger();
    /** What {@link #tasks()} answers. */
    public final List<TaskRow> taskRows = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** The swarm's nodes the status tells. */
    public final List<Status.Node> nodes = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** How many running tasks each service has on each node, by service. */
    public final Map<String, List<Status.Placement>> placements = new java.util.concurrent.ConcurrentHashMap<>();
    /** What {@link #serviceTasks()} answers. */
    public final List<ServiceTasks> taskCounts = new java.util.concurrent.CopyOnWriteArrayList<>();

    public FakeStack(String name, ChildRegistry children, ChildCommands commands, Clock clock) {
        this(name, children, commands, clock, new InMemoryHistory(clock, 20));
    }

    public FakeStack(String name, ChildRegistry children, ChildCommands commands, Clock clock,
                     DefinitionHistory history) {
        super(name, children, commands, clock, Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "fake-stack");
            t.setDaemon(true);
            return t;
        }), Duration.ofSeconds(5), history);
    }

    public static FakeStack simple(String name) {
        Clock clock = Clock.systemUTC();
        return new FakeStack(name, new ChildRegistry(clock, Duration.ofSeconds(10), 3),
                child -> java.util.concurrent.CompletableFuture.completedFuture(null), clock);
    }

    /** What {@link Stack#lastAppliedRequest()} gives a subclass. */
    public java.util.Optional<UpdateRequest> lastApplied() {
        return lastAppliedRequest();
    }

    public void setService(String name, Status.State state) {
        synchronized (services) {
            services.put(name, state);
        }
        changed();
    }

    @Override
    public List<TaskRow> tasks() {
        return List.copyOf(taskRows);
    }

    @Override
    public List<ServiceTasks> serviceTasks() {
        return List.copyOf(taskCounts);
    }

    @Override
    protected Map<String, String> childStackUrls() {
        return Map.copyOf(childStacks);
    }

    /** The original child stacks, by key, with the URL each is registered at. */
    public final Map<String, String> originalChildren = new java.util.concurrent.ConcurrentHashMap<>();
    /** The addresses the tasks of each original child hold on its link network. */
    public final Map<String, java.util.Set<String>> originalChildAddresses = new java.util.concurrent.ConcurrentHashMap<>();

    @Override
    protected Map<String, String> originalChildUrls() {
        return Map.copyOf(originalChildren);
    }

    @Override
    protected boolean heldByOriginalChild(String key, String address) {
        return originalChildAddresses.getOrDefault(key, java.util.Set.of()).contains(address);
    }

    @Override
    protected List<Status.Node> clusterNodes() {
        return List.copyOf(nodes);
    }

    @Override
    protected List<Status> serviceStatuses() {
        synchronized (services) {
            return services.entrySet().stream()
                    .map(e -> Status.service(e.getKey(), e.getValue(), messages.getOrDefault(e.getKey(), ""),
                            clock().instant()).placed(placements.getOrDefault(e.getKey(), List.of())))
                    .toList();
        }
    }

    @Override
    protected UpdateJob prepareUpdate(UpdateRequest request) throws DefinitionException {
        lastRequest = request;
        preparing.countDown();
        try {
            if (!prepareGate.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("test never opened the prepare gate");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        if (request.definition().contains("invalid")) {
            throw new DefinitionException(List.of(Problem.error("services.web.deploy.replicas",
                    "expected an integer")));
        }
        return progress -> {
            events.add("update runs");
            progress.report("plan", "service web", "create");
            if (!updateGate.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("test never opened the update gate");
            }
            progress.report("create", "service web", "");
            if (pinned != null) {
                progress.imagesPinned(pinned);
            }
            if (updateFailure != null) {
                throw new IllegalStateException(updateFailure);
            }
        };
    }

    /**
     * Services named in the definition as lines {@code service: NAME} (or {@code # service: NAME}, to keep a file
     * valid YAML for the CLI): those not running yet would be created.
     */
    @Override
    protected UpdatePreview.ServiceChanges plannedChanges(UpdateRequest request) throws DefinitionException {
        prepareUpdate(request);
        List<String> named = request.definition().lines().map(l -> l.startsWith("# ") ? l.substring(2) : l)
                .filter(l -> l.startsWith("service: "))
                .map(l -> l.substring("service: ".length()).strip()).toList();
        synchronized (services) {
            return new UpdatePreview.ServiceChanges(named.stream().filter(n -> !services.containsKey(n)).toList(),
                    List.of(), named.stream().filter(services::containsKey).toList(),
                    services.keySet().stream().filter(n -> !named.contains(n)).toList());
        }
    }

    @Override
    protected java.util.Optional<String> drift() {
        return drifted.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(drifted);
    }

    @Override
    protected void shutdownStarted() {
        shutdownsStarted.incrementAndGet();
    }

    /** Starts a repair whose job waits for {@link #updateGate}, like an update's. */
    public java.util.Optional<Update> startRepair(String what) {
        return repair("drift watch", what, progress -> {
            if (!updateGate.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("test never opened the update gate");
            }
            if (updateFailure != null) {
                throw new IllegalStateException(updateFailure);
            }
        });
    }

    @Override
    protected void stopOwnServices() {
        events.add("stop own services");
        synchronized (services) {
            services.replaceAll((k, v) -> Status.State.STOPPED);
        }
    }

    @Override
    public int logStreams(LogRequest request) {
        return request.service().isPresent() ? 1 : stackLogStreams;
    }

    @Override
    public AutoCloseable log(LogRequest request, LogSink sink) {
        request.service().ifPresent(name -> {
            synchronized (services) {
                if (!services.containsKey(name)) {
                    throw new NoSuchServiceException(name);
                }
            }
        });
        List<LogLine> matching = logLines.stream()
                .filter(l -> request.service().map(l.service()::equals).orElse(true))
                .toList();
        if (!request.follow()) {
            matching.forEach(sink::line);
            sink.end(null);
            return () -> { };
        }
        synchronized (this) {
            openFollows++;
        }
        matching.forEach(sink::line);
        java.util.function.Consumer<LogSink> source = followSource;
        if (source != null) {
            Thread.ofPlatform().daemon().name("fake-log-source").start(() -> source.accept(sink));
        }
        return () -> {
            synchronized (this) {
                openFollows--;
            }
        };
    }
}
