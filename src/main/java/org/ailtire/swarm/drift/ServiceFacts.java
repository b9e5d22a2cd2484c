package org.ailtire.swarm.drift;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.dockerjava.api.model.Service;
import com.github.dockerjava.api.model.ServiceSpec;
import com.github.dockerjava.core.DockerClientConfig;
import org.ailtire.swarm.Labels;

import java.util.List;
import java.util.Objects;

/**
 * What drift detection compares of one service, as the engine holds it.
 *
 * @param name     the engine name
 * @param key      the key in the definition ({@code org.ailtire.key}, else the engine name)
 * @param replicas the replica count of a replicated service, {@code null} for a global one (or a job)
 * @param image    the container image as written in the spec
 * @param env      the container's environment, {@code KEY=VALUE}, as written in the spec
 * @param rest     the rest of the spec (the engine's JSON of it, without replicas, image and environment): a change
 *                 there is one the definition did not make either
 */
public record ServiceFacts(String name, String key, Long replicas, String image, List<String> env, JsonNode rest) {
    public ServiceFacts {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(key, "key");
        env = env == null ? List.of() : List.copyOf(env);
        rest = rest == null ? com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode() : rest.deepCopy();
    }

    /** The facts of a service read from the engine through docker-java (which drops the fields it lacks). */
    public static ServiceFacts of(Service service) {
        return of(service.getSpec());
    }

    static ServiceFacts of(ServiceSpec spec) {
        JsonNode tree = DockerClientConfig.getDefaultObjectMapper().valueToTree(spec);
        if (tree.path("Mode") instanceof ObjectNode mode) {
            mode.remove("mode"); // docker-java's derived getter, not the engine's
        }
        return ofSpec(tree);
    }

    /** The facts of a service's {@code Spec} as the engine's own JSON, every field included. */
    public static ServiceFacts ofSpec(JsonNode engineSpec) {
        ObjectNode tree = engineSpec.deepCopy();
        String name = tree.path("Name").asText();
        String key = tree.path("Labels").path(Labels.KEY).asText(name);
        JsonNode replicated = tree.path("Mode").path("Replicated");
        Long replicas = replicated.path("Replicas").isNumber() ? replicated.path("Replicas").asLong() : null;
        if (replicated instanceof ObjectNode counted) {
            counted.remove("Replicas");
        }
        String image = null;
        List<String> env = List.of();
        if (tree.path("TaskTemplate").path("ContainerSpec") instanceof ObjectNode containerSpec) {
            image = containerSpec.path("Image").isTextual() ? containerSpec.path("Image").asText() : null;
            List<String> variables = new java.util.ArrayList<>();
            containerSpec.path("Env").forEach(e -> variables.add(e.asText()));
            env = variables;
            containerSpec.remove("Image");
            containerSpec.remove("Env");
        }
        return new ServiceFacts(name, key, replicas, image, env, tree);
    }

    /** Whether the service runs a child stack's controller. */
    public boolean childStack() {
        return Labels.KIND_STACK.equals(rest.path("Labels").path(Labels.KIND).asText(null));
    }
}
