package org.ailtire.swarm.convert;

import org.ailtire.definition.NetworkDefinition;
import org.ailtire.definition.ServiceDefinition;
import org.ailtire.definition.StackDefinition;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The stack's networks: every declared one, except {@code default}, which exists only when a service uses it
 * (services without {@code networks} are on it). External networks are referenced by name, never created.
 */
final class NetworkConverter {
    static final String DEFAULT_NETWORK = "default";
    static final String DEFAULT_DRIVER = "overlay";

    private final EngineNames names;
    private final StackLabels labels;

    NetworkConverter(EngineNames names, StackLabels labels) {
        this.names = names;
        this.labels = labels;
    }

    List<NetworkResource> convert(StackDefinition definition) {
        List<NetworkResource> result = new ArrayList<>();
        for (Map.Entry<String, NetworkDefinition> entry : definition.networks().entrySet()) {
            if (!entry.getKey().equals(DEFAULT_NETWORK) || defaultNetworkUsed(definition)) {
                result.add(convert(entry.getKey(), entry.getValue()));
            }
        }
        if (!definition.networks().containsKey(DEFAULT_NETWORK) && defaultNetworkUsed(definition)) {
            result.add(convert(DEFAULT_NETWORK, NetworkDefinition.DEFAULT));
        }
        return result;
    }

    /** The engine name a service attaches to for the network {@code key}. */
    String engineName(String key, NetworkDefinition network) {
        if (network.name() != null) {
            return network.name();
        }
        return network.external() ? key : names.scoped(key);
    }

    /** The definition of a network a service refers to, or null when it is not declared (default always is). */
    static NetworkDefinition lookup(StackDefinition definition, String key) {
        NetworkDefinition declared = definition.networks().get(key);
        return declared == null && key.equals(DEFAULT_NETWORK) ? NetworkDefinition.DEFAULT : declared;
    }

    /** A service's networks by key: as declared, or just {@code default} when it declares none. */
    static Map<String, ServiceDefinition.ServiceNetwork> networksOf(ServiceDefinition service) {
        return service.networks().isEmpty() ? Map.of(DEFAULT_NETWORK, ServiceDefinition.ServiceNetwork.PLAIN)
                : service.networks();
    }

    private static boolean defaultNetworkUsed(StackDefinition definition) {
        return definition.services().values().stream()
                .anyMatch(service -> networksOf(service).containsKey(DEFAULT_NETWORK));
    }

    private NetworkResource convert(String key, NetworkDefinition network) {
        String name = engineName(key, network);
        if (network.external()) {
            return new NetworkResource(name, key, true, null, Map.of(), false, false, Map.of());
        }
        String driver = network.driver() == null ? DEFAULT_DRIVER : network.driver();
        return new NetworkResource(name, key, false, driver, network.driverOpts(), network.attachable(),
                network.internal(), labels.forObject(key, network.labels()), network.ipam());
    }
}
