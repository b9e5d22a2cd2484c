package org.ailtire.swarm.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.transport.DockerHttpClient;
import org.ailtire.swarm.EngineHttp;

import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/**
 * A job's mode as the engine keeps it. docker-java 3.7.1 reads neither {@code ReplicatedJob} nor {@code GlobalJob},
 * so a service whose mode it sees as neither replicated nor global is read again as raw JSON.
 *
 * @param totalCompletions how many tasks must complete (replicated-job), null for a global job
 */
record JobMode(boolean global, Long totalCompletions) {
    private static final ObjectMapper JSON = new ObjectMapper();

    static Optional<JobMode> of(DockerClient docker, String serviceId) {
        JsonNode mode = rawSpec(docker, serviceId).path("Mode");
        if (mode.has("GlobalJob")) {
            return Optional.of(new JobMode(true, null));
        }
        if (mode.has("ReplicatedJob")) {
            JsonNode total = mode.path("ReplicatedJob").path("TotalCompletions");
            return Optional.of(new JobMode(false, total.isNumber() ? total.asLong() : 1L));
        }
        return Optional.empty();
    }

    private static JsonNode rawSpec(DockerClient docker, String serviceId) {
        DockerHttpClient.Request request = DockerHttpClient.Request.builder()
                .method(DockerHttpClient.Request.Method.GET).path("/services/" + serviceId).build();
        try (DockerHttpClient.Response response = EngineHttp.of(docker).execute(request);
             InputStream body = response.getBody()) {
            if (response.getStatusCode() != 200) {
                throw new DockerException("reading service " + serviceId, response.getStatusCode());
            }
            return JSON.readTree(body).path("Spec");
        } catch (IOException e) {
            throw new DockerException("reading service " + serviceId + ": " + e.getMessage(), 500);
        }
    }
}
