package org.ailtire.swarm.observe;

import java.time.Duration;
import java.util.Collection;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * When the observer reads tasks again although no event told it to. Container events are local to the node that
 * runs the container, and swarm emits no task events: the manager's stream says nothing when a task on another node
 * starts, fails or is replaced. So the services that have (or may get) tasks elsewhere are read again, in one tasks
 * request, often while something is between states and at a steady pace otherwise. A stack whose tasks all run on
 * the controller's own node is never read again without an event.
 *
 * @param steady     the pace while every remote task is where it should be
 * @param transition the pace while a task is starting, stopping or missing
 */
public record TaskResync(Duration steady, Duration transition) {
    public static final TaskResync DEFAULT = new TaskResync(Duration.ofSeconds(1), Duration.ofMillis(250));
    private static final Set<String> TERMINAL = Set.of("complete", "shutdown", "failed", "rejected", "remove", "orphaned");

    public TaskResync {
        Objects.requireNonNull(steady, "steady");
        Objects.requireNonNull(transition, "transition");
        if (steady.isNegative() || steady.isZero() || transition.isNegative() || transition.isZero()) {
            throw new IllegalArgumentException("resync intervals must be positive: " + steady + ", " + transition);
        }
    }

    /**
     * The services whose tasks no event will report: those with a live task on another node or not yet on a node,
     * and those short of their replicas (their next task may be placed anywhere). {@code localNode} null means the
     * controller's node is not known: every service is then silent.
     */
    public Set<String> silentServices(Collection<ServiceState> services, String localNode) {
        return services.stream().filter(s -> silent(s, localNode)).map(ServiceState::id).collect(Collectors.toSet());
    }

    /** The delay before the next read of the silent services' tasks, or empty when there are none. */
    public Optional<Duration> next(Collection<ServiceState> services, String localNode) {
        var silent = services.stream().filter(s -> silent(s, localNode)).toList();
        if (silent.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(silent.stream().anyMatch(TaskResync::inTransition) ? transition : steady);
    }

    private static boolean silent(ServiceState service, String localNode) {
        return shortOfReplicas(service) || service.tasks().stream().filter(TaskResync::live)
                .anyMatch(t -> localNode == null || t.nodeId() == null || !localNode.equals(t.nodeId()));
    }

    private static boolean live(TaskInfo task) {
        return "running".equals(task.desiredState()) || (task.state() != null && !TERMINAL.contains(task.state()));
    }

    private static boolean shortOfReplicas(ServiceState service) {
        return service.desiredReplicas() != null && service.running() < service.desiredReplicas();
    }

    private static boolean inTransition(ServiceState service) {
        return shortOfReplicas(service) || service.tasks().stream().filter(TaskResync::live)
                .anyMatch(t -> !"running".equals(t.state()) || !"running".equals(t.desiredState()));
    }
}
