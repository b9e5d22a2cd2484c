package org.ailtire.view;

import org.ailtire.definition.DefinitionException;
import org.ailtire.definition.DefinitionLoader;
import org.ailtire.definition.Parameters;
import org.ailtire.definition.ServiceDefinition;
import org.ailtire.definition.StackDefinition;
import org.ailtire.stack.ChildRegistry;
import org.ailtire.stack.LogLine;
import org.ailtire.stack.LogRequest;
import org.ailtire.stack.LogSink;
import org.ailtire.stack.NoSuchServiceException;
import org.ailtire.stack.ServiceOverrides;
import org.ailtire.stack.ServiceOverridesCheck;
import org.ailtire.stack.Stack;
import org.ailtire.stack.Status;
import org.ailtire.stack.UpdatePreview;
import org.ailtire.stack.UpdateRequest;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;

/**
 * An in-memory stack for the console's browser test: services at any depth are named by path
 * ({@code backend/db/store}); a path with a slash puts the service into nested child stacks, shown the way a
 * parent shows its registered children. Tests set states and add log lines; followers hear new lines at once.
 * Updates load their definition for real (invalid ones are refused with the loader's problems) and compare its
 * services with the last applied definition's, so previews and progress depend on what is sent; the tree itself
 * stays scripted.
 */
public final class ScriptedStack extends Stack {
    private final List<Status.Node> nodes = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Map<String, Status.State> states = new LinkedHashMap<>();
    private final Map<String, String> messages = new LinkedHashMap<>();
    private final Map<String, List<Status.Placement>> placements = new LinkedHashMap<>();
    private final List<LogLine> lines = new CopyOnWriteArrayList<>();
    private final List<Follower> followers = new CopyOnWriteArrayList<>();
    private final AtomicReference<String> failNext = new AtomicReference<>();
    private volatile StackDefinition applied;
    private volatile ServiceOverrides appliedOverrides = ServiceOverrides.NONE;

    private record Follower(String service, LogRequest.Streams streams, LogSink sink) {
    }

    public ScriptedStack(String name) {
        super(name, new ChildRegistry(Clock.systemUTC(), Duration.ofSeconds(10), 3),
                child -> CompletableFuture.completedFuture(null), Clock.systemUTC(),
                Executors.newCachedThreadPool(r -> {
                    Thread t = new Thread(r, "scripted-stack");
                    t.setDaemon(true);
                    return t;
                }), Duration.ofSeconds(5));
    }

    public void setState(String path, Status.State state) {
        synchronized (states) {
            states.put(path, state);
        }
        changed();
    }

    /** Adds a line to a service's log; its text becomes the service's last-line message. */
    public void addLine(String path, LogLine.Stream stream, String text) {
        synchronized (states) {
            if (!states.containsKey(path)) {
                throw new NoSuchServiceException(path);
            }
            messages.put(path, text);
        }
        LogLine line = new LogLine(path, stream, clock().instant(), text);
        lines.add(line);
        followers.stream().filter(f -> matches(f.service(), f.streams(), line)).forEach(f -> f.sink().line(line));
        changed();
    }

    /** Sets (adds, or replaces in its place, by name) a node of the swarm this stack reports. */
    public void setNode(Status.Node node) {
        synchronized (nodes) {
            int known = nodes.stream().map(Status.Node::name).toList().indexOf(node.name());
            if (known < 0) {
                nodes.add(node);
            } else {
                nodes.set(known, node);
            }
        }
        changed();
    }

    /** Places a service's running tasks: how many run on each node (none: it runs nowhere). */
    public void place(String path, List<Status.Placement> tasksByNode) {
        synchronized (states) {
            if (!states.containsKey(path)) {
                throw new NoSuchServiceException(path);
            }
            placements.put(path, List.copyOf(tasksByNode));
        }
        changed();
    }

    @Override
    protected List<Status.Node> clusterNodes() {
        return List.copyOf(nodes);
    }

    @Override
    protected List<Status> serviceStatuses() {
        Map<String, Status.State> snapshot;
        Map<String, String> lastLines;
        Map<String, List<Status.Placement>> placed;
        synchronized (states) {
            snapshot = new LinkedHashMap<>(states);
            lastLines = new LinkedHashMap<>(messages);
            placed = new LinkedHashMap<>(placements);
        }
        return level("", snapshot, lastLines, placed, clock().instant());
    }

    /** The statuses directly below {@code prefix}: services first, then child stacks in order of appearance. */
    private static List<Status> level(String prefix, Map<String, Status.State> all, Map<String, String> lastLines,
                                      Map<String, List<Status.Placement>> placed, Instant now) {
        List<Status> services = new ArrayList<>();
        Map<String, Boolean> stacks = new LinkedHashMap<>();
        all.forEach((path, state) -> {
            if (!path.startsWith(prefix)) {
                return;
            }
            String rest = path.substring(prefix.length());
            int slash = rest.indexOf('/');
            if (slash < 0) {
                List<Status.Placement> tasks = placed.getOrDefault(path, List.of());
                services.add(Status.service(rest, state, lastLines.getOrDefault(path, ""), now)
                        .onNodes(tasks.stream().map(Status.Placement::node).toList()).placed(tasks));
            } else {
                stacks.put(rest.substring(0, slash), true);
            }
        });
        List<Status> result = new ArrayList<>(services);
        stacks.keySet().forEach(child -> result.add(Status.stack(child, Status.State.RUNNING, "", null, now,
                level(prefix + child + "/", all, lastLines, placed, now))));
        return result;
    }

    /** The next update fails at its end with this message (its definition is then kept as a FAILED version). */
    public void failNextUpdate(String message) {
        failNext.set(message);
    }

    /**
     * Reports what the definition changes, then what the request's overrides change against those last applied
     * (a service scaled, a service redeployed), each as a converge line; they are checked like on the engine.
     */
    @Override
    protected UpdateJob prepareUpdate(UpdateRequest request) throws DefinitionException {
        StackDefinition definition = load(request);
        ServiceOverridesCheck.check(definition, request);
        UpdatePreview.ServiceChanges changes = changes(applied, definition);
        ServiceOverrides before = appliedOverrides;
        ServiceOverrides after = request.overrides();
        String failure = failNext.getAndSet(null);
        return progress -> {
            progress.report("plan", "stack " + name(), request.definition().lines().count() + " lines");
            changes.create().forEach(key -> progress.report("converge", "service " + key, "created"));
            changes.update().forEach(key -> progress.report("converge", "service " + key, "updated"));
            changes.unchanged().forEach(key -> progress.report("converge", "service " + key, "unchanged"));
            changes.remove().forEach(key -> progress.report("converge", "service " + key, "removed"));
            after.replicas().forEach((key, replicas) -> {
                if (!replicas.equals(before.replicas().get(key))) {
                    progress.report("converge", "service " + key, "scaled to " + replicas);
                }
            });
            after.redeploys().forEach((key, times) -> {
                if (!times.equals(before.redeploys().get(key))) {
                    progress.report("converge", "service " + key, "redeployed");
                }
            });
            if (failure != null) {
                throw new IllegalStateException(failure);
            }
            applied = definition;
            appliedOverrides = after;
        };
    }

    /** Compares the services of the definition with those of the last update that succeeded. */
    @Override
    protected UpdatePreview.ServiceChanges plannedChanges(UpdateRequest request) throws DefinitionException {
        return changes(applied, load(request));
    }

    private static StackDefinition load(UpdateRequest request) throws DefinitionException {
        return new DefinitionLoader(null)
                .load(request.definition(), Parameters.variables(request.environment(), request.parameters()))
                .definition();
    }

    private static UpdatePreview.ServiceChanges changes(StackDefinition before, StackDefinition after) {
        Map<String, ServiceDefinition> old = before == null ? Map.of() : before.services();
        List<String> create = new ArrayList<>();
        List<String> update = new ArrayList<>();
        List<String> unchanged = new ArrayList<>();
        after.services().forEach((key, service) -> {
            if (!old.containsKey(key)) {
                create.add(key);
            } else if (old.get(key).equals(service)) {
                unchanged.add(key);
            } else {
                update.add(key);
            }
        });
        List<String> remove = old.keySet().stream().filter(key -> !after.services().containsKey(key)).toList();
        return new UpdatePreview.ServiceChanges(create, update, unchanged, remove);
    }

    @Override
    protected void stopOwnServices() {
        synchronized (states) {
            states.replaceAll((path, state) -> Status.State.STOPPED);
        }
    }

    @Override
    public AutoCloseable log(LogRequest request, LogSink sink) {
        String service = request.service().orElse("");
        synchronized (states) {
            if (!service.isEmpty() && !states.containsKey(service)) {
                throw new NoSuchServiceException(service);
            }
        }
        List<LogLine> past = lines.stream().filter(l -> matches(service, request.streams(), l)).toList();
        past.subList(Math.max(0, past.size() - request.tail()), past.size()).forEach(sink::line);
        if (!request.follow()) {
            sink.end(null);
            return () -> { };
        }
        Follower follower = new Follower(service, request.streams(), sink);
        followers.add(follower);
        return () -> followers.remove(follower);
    }

    private static boolean matches(String service, LogRequest.Streams streams, LogLine line) {
        boolean streamMatches = streams == LogRequest.Streams.BOTH
                || streams.name().equals(line.stream().name());
        return streamMatches && (service.isEmpty() || line.service().equals(service));
    }
}
