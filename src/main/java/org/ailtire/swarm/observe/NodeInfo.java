package org.ailtire.swarm.observe;

/**
 * One node of the swarm, as the manager sees it.
 *
 * @param role         {@code manager} or {@code worker}
 * @param state        the engine's node state in lower case: {@code ready}, {@code down}, {@code disconnected},
 *                     {@code unknown}
 * @param availability {@code active}, {@code pause} or {@code drain}
 */
public record NodeInfo(String id, String hostname, String role, String state, String availability) {
    /** Whether the node runs tasks: ready and active. */
    public boolean healthy() {
        return "ready".equals(state) && "active".equals(availability);
    }
}
