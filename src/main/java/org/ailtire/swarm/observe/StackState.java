package org.ailtire.swarm.observe;

import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the observer knows about one stack at one moment.
 *
 * @param services  by service key (label {@code org.ailtire.key}, else the name without {@code <namespace>_}), sorted
 * @param nodes     the swarm's nodes by id
 * @param connected whether the events stream is up; while it is not, the state may be stale
 * @param asOf      when this snapshot was made
 * @param version   increases with every published snapshot
 */
public record StackState(String namespace, Map<String, ServiceState> services, Map<String, NodeInfo> nodes,
                         boolean connected, Instant asOf, long version) {
    public StackState {
        services = Collections.unmodifiableMap(new TreeMap<>(services));
        nodes = Map.copyOf(nodes);
    }

    /** Nothing known yet. */
    static StackState empty(String namespace) {
        return new StackState(namespace, Map.of(), Map.of(), false, Instant.now(), 0);
    }
}
