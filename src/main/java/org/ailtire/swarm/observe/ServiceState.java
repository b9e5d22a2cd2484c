package org.ailtire.swarm.observe;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One service of the stack.
 *
 * @param desiredReplicas the replica count of a replicated service, {@code null} for a global one
 * @param running         tasks that are running and meant to be
 * @param tasks           the latest tasks of each slot (of each node for a global service), newest first
 * @param updateState     the engine's update state in lower case ({@code updating}, {@code completed},
 *                        {@code rollback_started} ...), {@code null} when the service was never updated
 * @param changedAt       when the observer last saw this service change
 * @param labels          the service's labels
 */
public record ServiceState(String id, String name, String key, String image, Long desiredReplicas, int running,
                           List<TaskInfo> tasks, String updateState, String updateMessage, Instant changedAt,
                           Map<String, String> labels) {
    public ServiceState {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }

    ServiceState withChangedAt(Instant at) {
        return new ServiceState(id, name, key, image, desiredReplicas, running, tasks, updateState, updateMessage, at, labels);
    }
}
