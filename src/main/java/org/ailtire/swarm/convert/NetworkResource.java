package org.ailtire.swarm.convert;

import org.ailtire.definition.NetworkDefinition;

import java.util.Map;

/**
 * A network to create (or, when {@code external}, one that must already exist under {@code name}).
 *
 * @param key the network's key in the definition
 */
public record NetworkResource(String name, String key, boolean external, String driver, Map<String, String> options,
                              boolean attachable, boolean internal, Map<String, String> labels,
                              NetworkDefinition.Ipam ipam) {
    public NetworkResource {
        options = Map.copyOf(options);
        labels = Map.copyOf(labels);
        ipam = ipam == null ? NetworkDefinition.Ipam.NONE : ipam;
    }

    public NetworkResource(String name, String key, boolean external, String driver, Map<String, String> options,
                           boolean attachable, boolean internal, Map<String, String> labels) {
        this(name, key, external, driver, options, attachable, internal, labels, NetworkDefinition.Ipam.NONE);
    }
}
