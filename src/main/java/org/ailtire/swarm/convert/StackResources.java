package org.ailtire.swarm.convert;

import java.util.List;

/**
 * Everything the engine must hold for one stack, as {@link StackConverter} derives it from a definition. Names are
 * engine names (namespaced). Lists are in creation order.
 */
public record StackResources(String namespace, List<NetworkResource> networks, List<FileResource> configs,
                             List<FileResource> secrets, List<ServiceResource> services) {
    public StackResources {
        networks = List.copyOf(networks);
        configs = List.copyOf(configs);
        secrets = List.copyOf(secrets);
        services = List.copyOf(services);
    }
}
