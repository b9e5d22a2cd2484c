package org.ailtire.swarm.convert;

import com.github.dockerjava.api.model.ServiceSpec;

/**
 * A swarm service to create or update.
 *
 * @param name     the engine name, {@code <namespace>_<key>}
 * @param key      the service's key in the definition
 * @param spec     the full Engine API spec; its labels already carry {@code specHash}
 * @param specHash SHA-256 (hex) of the spec without that label: equal hashes mean nothing to update
 */
public record ServiceResource(String name, String key, ServiceSpec spec, String specHash) {
}
