package org.ailtire.swarm.observe;

import java.time.Instant;
import java.util.Map;

/**
 * What the observer knows about one stack at one moment.
 *
 * @param services  by service key (label {@code org.ailtire.key}, else the name without {@code <namespace>_}), sorted
 * @param connected whether the events stream is up; while it is not, the state may be stale
 * @param asOf      when this snapshot was made
 * @param version   increases with every published snapshot
 */
public record StackState(String namespace, Map<String, ServiceState> services, boolean connected, Instant asOf,
                         long version) {
}
