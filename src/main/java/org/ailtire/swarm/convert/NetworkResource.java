package org.ailtire.swarm.convert;

import java.util.Map;

/**
 * A network to create (or, when {@code external}, one that must already exist under {@code name}).
 *
 * @param key the network's key in the definition
 */
public record NetworkResource(String name, String key, boolean external, String driver, Map<String, String> options,
                              boolean attachable, boolean internal, Map<String, String> labels) {
    public NetworkResource {
        options = Map.copyOf(options);
        labels = Map.copyOf(labels);
    }
}
