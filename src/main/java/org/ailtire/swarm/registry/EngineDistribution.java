package org.ailtire.swarm.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.transport.DockerHttpClient;
import org.ailtire.stack.Json;
import org.ailtire.stack.RegistryCredential;
import org.ailtire.swarm.EngineHttp;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Resolves image references with the engine's {@code GET /distribution/{name}/json} (docker-java has no command for
 * it), which asks the registry with the {@code X-Registry-Auth} credentials, as {@code docker stack deploy} does.
 *
 * <p>An image the engine holds that was never pulled from or pushed to its repository (no repo digest for it, like
 * {@code ailtire/busybox:local}) is local: no registry is asked, so nothing leaves the host for it.
 */
public final class EngineDistribution implements Distribution {
    private static final List<String> AUTH_FAILURES = List.of("unauthorized", "authentication required",
            "no basic auth credentials", "denied", "forbidden");

    private final DockerClient docker;

    public EngineDistribution(DockerClient docker) {
        this.docker = docker;
    }

    @Override
    public Resolution resolve(ImageReference image, Optional<RegistryCredential> credential) {
        if (isLocalOnly(image)) {
            return new Resolution.Unresolved("the image is local to this engine (never pulled from or pushed to "
                    + image.registry() + ")");
        }
        DockerHttpClient.Request.Builder request = DockerHttpClient.Request.builder()
                .method(DockerHttpClient.Request.Method.GET)
                .path("/distribution/" + image.text() + "/json");
        credential.ifPresent(c -> request.putHeader(RegistryAuthHeader.NAME, RegistryAuthHeader.encode(image.registry(), c)));
        try (DockerHttpClient.Response response = EngineHttp.of(docker).execute(request.build());
             InputStream body = response.getBody()) {
            byte[] bytes = body.readAllBytes();
            return classify(response.getStatusCode(), bytes, credential.isPresent());
        } catch (IOException | RuntimeException e) {
            return new Resolution.Unresolved("the engine did not answer: " + e.getMessage());
        }
    }

    static Resolution classify(int status, byte[] body, boolean withCredential) throws IOException {
        JsonNode answer = Json.MAPPER.readTree(body.length == 0 ? "{}".getBytes(StandardCharsets.UTF_8) : body);
        if (status == 200) {
            String digest = answer.path("Descriptor").path("digest").asText("");
            return digest.startsWith("sha256:") ? new Resolution.Digest(digest)
                    : new Resolution.Unresolved("the registry answered no digest");
        }
        String message = answer.path("message").asText("HTTP " + status);
        String lower = message.toLowerCase(Locale.ROOT);
        if (status == 401 || status == 403 || AUTH_FAILURES.stream().anyMatch(lower::contains)) {
            return new Resolution.Refused((withCredential ? "the registry refused the credentials given for it"
                    : "the registry needs credentials and none were given for it") + " (" + message + ")");
        }
        if (status == 404 || lower.contains("manifest unknown") || lower.contains("not found")) {
            return new Resolution.Refused("the registry does not know this tag (" + message + ")");
        }
        return new Resolution.Unresolved(message);
    }

    private boolean isLocalOnly(ImageReference image) {
        try {
            List<String> repoDigests = docker.inspectImageCmd(image.unpinned()).exec().getRepoDigests();
            return repoDigests == null || repoDigests.stream().noneMatch(d -> d.startsWith(image.repository() + "@"));
        } catch (NotFoundException absent) {
            return false;
        }
    }
}
