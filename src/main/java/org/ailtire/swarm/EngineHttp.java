package org.ailtire.swarm;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.transport.DockerHttpClient;
import org.ailtire.stack.Json;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** docker-java's own transport, for the Engine API calls docker-java 3.7.1 has no command (or no header) for. */
public final class EngineHttp {
    private EngineHttp() {
    }

    public static DockerHttpClient of(DockerClient docker) {
        if (docker instanceof DockerClientImpl impl) {
            return impl.getHttpClient();
        }
        throw new IllegalArgumentException("raw engine calls go through docker-java's DockerClientImpl, not "
                + docker.getClass().getName());
    }

    /** The query that makes the engine list only objects carrying every {@code key=value} label given. */
    public static String labelFilterQuery(List<String> labelFilters) {
        try {
            return "?filters=" + URLEncoder.encode(Json.MAPPER.writeValueAsString(Map.of("label", labelFilters)),
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * {@code GET path} as the engine's own JSON, every field docker-java's models would drop included.
     *
     * @param what what is read, for the error ({@code "listing configs"})
     */
    public static JsonNode getJson(DockerClient docker, String path, String what) {
        DockerHttpClient.Request request = DockerHttpClient.Request.builder()
                .method(DockerHttpClient.Request.Method.GET).path(path).build();
        try (DockerHttpClient.Response response = of(docker).execute(request); InputStream body = response.getBody()) {
            byte[] bytes = body.readAllBytes();
            if (response.getStatusCode() != 200) {
                throw new DockerException(what + ": " + new String(bytes, StandardCharsets.UTF_8),
                        response.getStatusCode());
            }
            return Json.MAPPER.readTree(bytes);
        } catch (IOException e) {
            throw new DockerException(what + ": " + e.getMessage(), 500);
        }
    }
}
