package org.ailtire.swarm.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.transport.DockerHttpClient;
import org.ailtire.swarm.EngineHttp;

import java.io.IOException;
import java.io.InputStream;

/**
 * A service's spec exactly as the engine keeps it. docker-java 3.7.1's models drop the Engine API fields they lack
 * (placement preferences, pids, capabilities, sysctls, ulimits, jobs ...), so what must go back to the engine
 * unchanged, a previous spec on rollback, is read and written as this raw JSON, never through those models.
 *
 * @param spec the service's {@code Spec} object
 */
record RawServiceSpec(JsonNode spec) {
    private static final ObjectMapper JSON = new ObjectMapper();

    static RawServiceSpec read(DockerClient docker, String serviceId) {
        DockerHttpClient.Request request = DockerHttpClient.Request.builder()
                .method(DockerHttpClient.Request.Method.GET).path("/services/" + serviceId).build();
        try (DockerHttpClient.Response response = EngineHttp.of(docker).execute(request);
             InputStream body = response.getBody()) {
            if (response.getStatusCode() != 200) {
                throw new DockerException("reading service " + serviceId, response.getStatusCode());
            }
            return new RawServiceSpec(JSON.readTree(body).path("Spec"));
        } catch (IOException e) {
            throw new DockerException("reading service " + serviceId + ": " + e.getMessage(), 500);
        }
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
            return JSON.writeValueAsBytes(spec);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the spec of service " + name(), e);
        }
    }
}
