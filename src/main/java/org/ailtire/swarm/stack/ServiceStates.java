package org.ailtire.swarm.stack;

import org.ailtire.stack.Status;
import org.ailtire.swarm.observe.ServiceState;
import org.ailtire.swarm.observe.TaskInfo;

import java.util.Set;

/** What a service is doing, in the status tree's terms, from what the engine says of it and its tasks. */
final class ServiceStates {
    private static final Set<String> UPDATING = Set.of("updating", "rollback_started");
    private static final Set<String> FAILED_TASK = Set.of("failed", "rejected", "orphaned");

    private ServiceStates() {
    }

    static Status.State of(ServiceState service) {
        if (service.updateState() != null && UPDATING.contains(service.updateState())) {
            return Status.State.UPDATING;
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
     * Why a task meant to run cannot be placed (no node meets its constraints: a controller when no manager is
     * available, a service constrained to a drained or down node), as swarm says it; empty when every task is placed.
     */
    static java.util.Optional<String> unplaced(ServiceState service) {
        return service.tasks().stream()
                .filter(t -> "pending".equals(t.state()) && "running".equals(t.desiredState()))
                .map(TaskInfo::error).filter(e -> e != null && !e.isBlank())
                .findFirst().map(e -> "not placed: " + e);
    }
}
