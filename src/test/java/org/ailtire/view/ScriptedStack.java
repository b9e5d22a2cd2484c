package org.ailtire.view;

import org.ailtire.definition.DefinitionException;
import org.ailtire.stack.ChildRegistry;
import org.ailtire.stack.LogLine;
import org.ailtire.stack.LogRequest;
import org.ailtire.stack.LogSink;
import org.ailtire.stack.NoSuchServiceException;
import org.ailtire.stack.Stack;
import org.ailtire.stack.Status;
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

/**
 * An in-memory stack for the console's browser test: services at any depth are named by path
 * ({@code backend/db/store}); a path with a slash puts the service into nested child stacks, shown the way a
 * parent shows its registered children. Tests set states and add log lines; followers hear new lines at once.
 */
public final class ScriptedStack extends Stack {
    private final Map<String, Status.State> states = new LinkedHashMap<>();
    private final Map<String, String> messages = new LinkedHashMap<>();
    private final List<LogLine> lines = new CopyOnWriteArrayList<>();
    private final List<Follower> followers = new CopyOnWriteArrayList<>();

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

    @Override
    protected List<Status> serviceStatuses() {
        Map<String, Status.State> snapshot;
        Map<String, String> lastLines;
        synchronized (states) {
            snapshot = new LinkedHashMap<>(states);
            lastLines = new LinkedHashMap<>(messages);
        }
        return level("", snapshot, lastLines, clock().instant());
    }

    /** The statuses directly below {@code prefix}: services first, then child stacks in order of appearance. */
    private static List<Status> level(String prefix, Map<String, Status.State> all, Map<String, String> lastLines,
                                      Instant now) {
        List<Status> services = new ArrayList<>();
        Map<String, Boolean> stacks = new LinkedHashMap<>();
        all.forEach((path, state) -> {
            if (!path.startsWith(prefix)) {
                return;
            }
            String rest = path.substring(prefix.length());
            int slash = rest.indexOf('/');
            if (slash < 0) {
                services.add(Status.service(rest, state, lastLines.getOrDefault(path, ""), now));
            } else {
                stacks.put(rest.substring(0, slash), true);
            }
        });
        List<Status> result = new ArrayList<>(services);
        stacks.keySet().forEach(child -> result.add(Status.stack(child, Status.State.RUNNING, "", null, now,
                level(prefix + child + "/", all, lastLines, now))));
        return result;
    }

    @Override
    protected UpdateJob prepareUpdate(UpdateRequest request) throws DefinitionException {
        return progress -> {
            progress.report("plan", "stack " + name(), request.definition().lines().count() + " lines");
            progress.report("converge", "service web", "unchanged");
        };
    }

    @Override
    protected org.ailtire.stack.UpdatePreview.ServiceChanges plannedChanges(UpdateRequest request) {
        return new org.ailtire.stack.UpdatePreview.ServiceChanges(List.of(), List.of(), List.of("web"), List.of());
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
