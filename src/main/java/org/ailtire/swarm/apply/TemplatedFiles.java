package org.ailtire.swarm.apply;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.transport.DockerHttpClient;
import org.ailtire.swarm.EngineHttp;
import org.ailtire.swarm.convert.FileResource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Creates a config or secret with a template driver ({@code Templating}), which docker-java 3.7.1's create commands
 * cannot send: {@code POST /configs/create} or {@code /secrets/create} with the spec as the Engine API defines it.
 */
final class TemplatedFiles {
    private TemplatedFiles() {
    }

    /** @param kind "config" or "secret"; returns the new object's id */
    static String create(DockerClient docker, String kind, FileResource file) {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("Name", file.name());
        spec.put("Labels", file.labels());
        spec.put("Data", Base64.getEncoder().encodeToString(file.data()));
        spec.put("Templating", Map.of("Name", file.templateDriver()));
        byte[] body;
        try {
            body = DockerClientConfig.getDefaultObjectMapper().writeValueAsBytes(spec);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the spec of " + kind + " " + file.name(), e);
        }
        DockerHttpClient.Request request = DockerHttpClient.Request.builder()
                .method(DockerHttpClient.Request.Method.POST)
                .path("/" + kind + "s/create")
                .putHeader("Content-Type", "application/json")
                .bodyBytes(body)
                .build();
        try (DockerHttpClient.Response response = EngineHttp.of(docker).execute(request);
             InputStream answer = response.getBody()) {
            byte[] text = answer.readAllBytes();
            if (response.getStatusCode() != 201) {
                throw new DockerException("creating " + kind + " " + file.name() + ": "
                        + new String(text, StandardCharsets.UTF_8), response.getStatusCode());
            }
            return DockerClientConfig.getDefaultObjectMapper().readTree(text).path("ID").asText();
        } catch (IOException e) {
            throw new DockerException("creating " + kind + " " + file.name() + ": " + e.getMessage(), 500);
        }
    }
}
