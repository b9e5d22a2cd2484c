package org.ailtire.swarm.apply;

import com.github.dockerjava.api.model.ContainerSpec;
import com.github.dockerjava.api.model.ContainerSpecConfig;
import com.github.dockerjava.api.model.ContainerSpecSecret;
import com.github.dockerjava.api.model.ServiceSpec;
import org.ailtire.swarm.convert.CredentialSpecWithConfig;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.Map;

/**
 * The converter names configs and secrets; the engine wants their ids in a service spec. This fills the ids into
 * a copy of the spec (the converter's output stays as it was, so an apply can be retried with it).
 * <p>
 * The copy keeps the runtime types of the spec's parts: the converter adds the Engine API fields docker-java lacks
 * (placement preferences, pids, capabilities, jobs ...) in subclasses, and a JSON round trip through docker-java's
 * classes would drop them silently.
 */
final class SpecReferences {
    private SpecReferences() {
    }

    static ServiceSpec resolve(ServiceSpec spec, Map<String, String> configIds, Map<String, String> secretIds) {
        ServiceSpec copy = deepCopy(spec);
        ContainerSpec container = copy.getTaskTemplate() == null ? null : copy.getTaskTemplate().getContainerSpec();
        if (container == null) {
            return copy;
        }
        if (container.getConfigs() != null) {
            for (ContainerSpecConfig config : container.getConfigs()) {
                config.withConfigID(idOf("config", config.getConfigName(), configIds));
            }
        }
        if (container.getPrivileges() != null
                && container.getPrivileges().getCredentialSpec() instanceof CredentialSpecWithConfig credential) {
            credential.setConfig(idOf("config", credential.getConfig(), configIds));
        }
        if (container.getSecrets() != null) {
            for (ContainerSpecSecret secret : container.getSecrets()) {
                secret.withSecretId(idOf("secret", secret.getSecretName(), secretIds));
            }
        }
        return copy;
    }

    static ServiceSpec deepCopy(ServiceSpec spec) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
                out.writeObject(spec);
            }
            try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
                return (ServiceSpec) in.readObject();
            }
        } catch (IOException | ClassNotFoundException e) {
            throw new IllegalStateException("cannot copy the spec of service " + spec.getName(), e);
        }
    }

    private static String idOf(String kind, String name, Map<String, String> ids) {
        String id = ids.get(name);
        if (id == null) {
            throw new IllegalStateException(kind + " " + name + " is referenced by a service but does not exist");
        }
        return id;
    }
}
