package org.ailtire.definition;

import java.util.Map;

/**
 * A validated, interpolated stack definition (a Compose file as {@code docker stack deploy} understands it).
 * Maps keep the order of the file. Every collection is unmodifiable and never null.
 *
 * @param services   services by name
 * @param networks   top-level networks by name (as the file names them, not the namespaced engine name)
 * @param volumes    top-level named volumes
 * @param configs    top-level configs
 * @param secrets    top-level secrets
 * @param extensions top-level {@code x-} fields, values as parsed YAML (maps, lists, strings, numbers, booleans)
 */
public record StackDefinition(
        Map<String, ServiceDefinition> services,
        Map<String, NetworkDefinition> networks,
        Map<String, VolumeDefinition> volumes,
        Map<String, ConfigDefinition> configs,
        Map<String, SecretDefinition> secrets,
        Map<String, Object> extensions) {

    public StackDefinition {
        services = Ordered.map(services);
        networks = Ordered.map(networks);
        volumes = Ordered.map(volumes);
        configs = Ordered.map(configs);
        secrets = Ordered.map(secrets);
        extensions = Ordered.map(extensions);
    }
}
