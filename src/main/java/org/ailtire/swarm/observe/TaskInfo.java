package org.ailtire.swarm.observe;

import java.time.Instant;

/**
 * One task of a service.
 *
 * @param slot         the replica slot, {@code null} for a global service's task
 * @param state        the engine's task state in lower case ({@code running}, {@code failed} ...)
 * @param desiredState what the orchestrator wants the task to be
 * @param timestamp    when the task's state last changed
 */
public record TaskInfo(String id, Integer slot, String nodeId, String state, String desiredState, String message,
                       String error, String containerId, Instant timestamp) {
}
