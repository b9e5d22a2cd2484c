package org.ailtire.swarm.drift;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.dockerjava.api.model.Service;
import com.github.dockerjava.api.model.ServiceSpec;
import com.github.dockerjava.core.DockerClientConfig;
import org.ailtire.swarm.Labels;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What drift detection compares of one service, as the engine holds it.
 *
 * @param name     the engine name
 * @param key      the key in the definition ({@code org.ailtire.key}, else the engine name)
 * @param replicas the replica count of a replicated service, {@code null} for a global one (or a job)
 * @param image    the container image as written in the spec
 * @param env      the container's environment, {@code KEY=VALUE}, as written in the spec
 * @param rest     the rest of the spec (docker-java's JSON of it, without replicas, image and environment): a change
 *                 there is one the definition did not make either
 */
public record ServiceFacts(String name, String key, Long replicas, String image, List<String> env, JsonNode rest) {
    public ServiceFacts {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(key, "key");
        env = env == null ? List.of() : List.copyOf(env);
        rest = rest == null ? com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode() : rest.deepCopy();
    }

    /** The facts of a service read from the engine. */
    public static ServiceFacts of(Service service) {
        return of(service.getSpec());
    }

    static ServiceFacts of(ServiceSpec spec) {
        Map<String, String> labels = spec.getLabels() == null ? Map.of() : spec.getLabels();
        String key = labels.getOrDefault(Labels.KEY, spec.getName());
        var container = spec.getTaskTemplate() == null ? null : spec.getTaskTemplate().getContainerSpec();
        Long replicas = spec.getMode() != null && spec.getMode().getReplicated() != null
                ? spec.getMode().getReplicated().getReplicas() : null;
        JsonNode tree = DockerClientConfig.getDefaultObjectMapper().valueToTree(spec);
        if (tree.path("Mode") instanceof ObjectNode mode) {
            mode.remove("mode"); // docker-java's derived getter, not the engine's
        }
        if (tree.path("Mode").path("Replicated") instanceof ObjectNode replicated) {
            replicated.remove("Replicas");
        }
        if (tree.path("TaskTemplate").path("ContainerSpec") instanceof ObjectNode containerSpec) {
            containerSpec.remove("Image");
            containerSpec.remove("Env");
        }
        return new ServiceFacts(spec.getName(), key, replicas, container == null ? null : container.getImage(),
                container == null ? null : container.getEnv(), tree);
    }

    /** Whether the service runs a child stack's controller. */
    public boolean childStack() {
        return Labels.KIND_STACK.equals(rest.path("Labels").path(Labels.KIND).asText(null));
    }
}
