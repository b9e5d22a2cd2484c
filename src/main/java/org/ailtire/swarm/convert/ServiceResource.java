package org.ailtire.swarm.convert;

import com.github.dockerjava.api.model.ServiceSpec;

/**
 * A swarm service to create or update.
 *
 * <p>The spec's config and secret references name their objects ({@code ConfigName}/{@code SecretName}) and leave
 * the IDs null: before creating or updating the service, set {@code ConfigID}/{@code SecretId} of each reference to
 * the ID of the object of that name (created just before, or external). {@code specHash} is computed without IDs.
 *
 * @param name     the engine name, {@code <namespace>_<key>}
 * @param key      the service's key in the definition
 * @param spec     the full Engine API spec; its labels already carry {@code specHash}
 * @param specHash SHA-256 (hex) of the spec without that label: equal hashes mean nothing to update
 */
public record ServiceResource(String name, String key, ServiceSpec spec, String specHash) {
}
