package org.ailtire.swarm.apply;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.model.ContainerSpec;
import com.github.dockerjava.api.model.ContainerSpecConfig;
import com.github.dockerjava.api.model.ContainerSpecSecret;
import com.github.dockerjava.api.model.ServiceSpec;

import java.util.Map;

/**
 * The converter names configs and secrets; the engine wants their ids in a service spec. This fills the ids into
 * a copy of the spec (the converter's output stays as it was, so an apply can be retried with it).
 */
final class SpecReferences {
    private static final ObjectMapper COPIER = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private SpecReferences() {
    }

    static ServiceSpec resolve(ServiceSpec spec, Map<String, String> configIds, Map<String, String> secretIds) {
        ServiceSpec copy = COPIER.convertValue(spec, ServiceSpec.class);
        ContainerSpec container = copy.getTaskTemplate() == null ? null : copy.getTaskTemplate().getContainerSpec();
        if (container == null) {
            return copy;
        }
        if (container.getConfigs() != null) {
            for (ContainerSpecConfig config : container.getConfigs()) {
                config.withConfigID(idOf("config", config.getConfigName(), configIds));
            }
        }
        if (container.getSecrets() != null) {
            for (ContainerSpecSecret secret : container.getSecrets()) {
                secret.withSecretId(idOf("secret", secret.getSecretName(), secretIds));
            }
        }
        return copy;
    }

    private static String idOf(String kind, String name, Map<String, String> ids) {
        String id = ids.get(name);
        if (id == null) {
            throw new IllegalStateException(kind + " " + name + " is referenced by a service but does not exist");
        }
        return id;
    }
}
