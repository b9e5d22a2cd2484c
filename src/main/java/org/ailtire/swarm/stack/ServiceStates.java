package org.ailtire.swarm.stack;

import org.ailtire.stack.Status;
import org.ailtire.swarm.observe.NodeInfo;
import org.ailtire.swarm.observe.ServiceState;
import org.ailtire.swarm.observe.TaskInfo;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What a service is doing, in the status tree's terms, from what the engine says of it and its tasks. A job that
 * completed is COMPLETED: done as meant, so it does not degrade its stack (a service scaled to zero is STOPPED).
 */
final class ServiceStates {
    private static final Set<String> UPDATING = Set.of("updating", "rollback_started");
    private static final Set<String> FAILED_TASK = Set.of("failed", "rejected", "orphaned");
    private static final Set<String> TERMINAL_TASK = Set.of("complete", "shutdown", "failed", "rejected", "remove",
            "orphaned");

    private ServiceStates() {
    }

    static Status.State of(ServiceState service) {
        if (service.updateState() != null && UPDATING.contains(service.updateState())) {
            return Status.State.UPDATING;
        }
        if (service.tasks().stream().anyMatch(t -> "complete".equals(t.desiredState()))) {
            return jobState(service);
        }
        long wanted = service.desiredReplicas() != null ? service.desiredReplicas() : Math.max(1, service.running());
        if (wanted == 0) {
            return Status.State.STOPPED;
        }
        if (service.running() >= wanted) {
            return Status.State.RUNNING;
        }
        boolean failing = service.tasks().stream().findFirst().map(TaskInfo::state).map(FAILED_TASK::contains)
                .orElse(false)
                || service.tasks().stream().anyMatch(t -> FAILED_TASK.contains(t.state())
                && "running".equals(t.desiredState()));
        return failing ? Status.State.FAILED : Status.State.STARTING;
    }

    /**
     * How many tasks of the service run (running and meant to) on each node, sorted by the node's host name; a node
     * the swarm does not list (any more) is named by its id.
     *
     * @param nodes the swarm's nodes by id
     */
    static List<Status.Placement> placement(ServiceState service, Map<String, NodeInfo> nodes) {
        Map<String, Integer> tasksByNode = new TreeMap<>();
        service.tasks().stream()
                .filter(t -> "running".equals(t.state()) && "running".equals(t.desiredState()) && t.nodeId() != null)
                .forEach(t -> tasksByNode.merge(hostName(t.nodeId(), nodes), 1, Integer::sum));
        return tasksByNode.entrySet().stream().map(e -> new Status.Placement(e.getKey(), e.getValue())).toList();
    }

    private static String hostName(String nodeId, Map<String, NodeInfo> nodes) {
        NodeInfo node = nodes.get(nodeId);
        return node == null ? nodeId : node.hostname();
    }

    /**
     * Why a task meant to run cannot be placed (no node meets its constraints: a controller when no manager is
     * available, a service constrained to a drained or down node), as swarm says it; empty when every task is placed.
     */
    static java.util.Optional<String> unplaced(ServiceState service) {
        return service.tasks().stream()
                .filter(t -> "pending".equals(t.state()) && "running".equals(t.desiredState()))
                .map(TaskInfo::error).filter(e -> e != null && !e.isBlank())
                .findFirst().map(e -> "not placed: " + e);
    }

    /**
     * A job (swarm wants its tasks {@code complete}): running while a task runs, COMPLETED once the newest task of
     * every slot completed, FAILED when nothing runs any more and a slot's newest task did not complete.
     */
    private static Status.State jobState(ServiceState service) {
        boolean live = service.tasks().stream().anyMatch(t -> t.state() != null && !TERMINAL_TASK.contains(t.state()));
        if (live) {
            return service.tasks().stream().anyMatch(t -> "running".equals(t.state())) ? Status.State.RUNNING
                    : Status.State.STARTING;
        }
        Map<String, TaskInfo> newestBySlot = new LinkedHashMap<>();
        service.tasks().forEach(t -> newestBySlot.putIfAbsent(t.slot() != null && t.slot() > 0 ? "slot " + t.slot()
                : "node " + t.nodeId(), t));
        return newestBySlot.values().stream().allMatch(t -> "complete".equals(t.state())) ? Status.State.COMPLETED
                : Status.State.FAILED;
    }
}
