package org.ailtire.swarm.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.DockerClient;
import org.ailtire.stack.Json;
import org.ailtire.swarm.EngineHttp;

import java.io.IOException;

/**
 * A service's spec exactly as the engine keeps it. docker-java 3.7.1's models drop the Engine API fields they lack
 * (placement preferences, pids, capabilities, sysctls, ulimits, jobs ...), so what must go back to the engine
 * unchanged, a previous spec on rollback, is read and written as this raw JSON, never through those models.
 *
 * @param spec the service's {@code Spec} object
 */
record RawServiceSpec(JsonNode spec) {
    static RawServiceSpec read(DockerClient docker, String serviceId) {
        return new RawServiceSpec(EngineHttp.getJson(docker, "/services/" + serviceId, "reading service " + serviceId)
                .path("Spec"));
    }

    String name() {
        return spec.path("Name").asText();
    }

    /** The image of the task template, or null (the registry whose credentials the write sends). */
    String image() {
        JsonNode image = spec.path("TaskTemplate").path("ContainerSpec").path("Image");
        return image.isTextual() ? image.asText() : null;
    }

    byte[] bytes() {
        try {
            return Json.MAPPER.writeValueAsBytes(spec);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the spec of service " + name(), e);
        }
    }
}
