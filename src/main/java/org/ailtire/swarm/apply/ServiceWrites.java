package org.ailtire.swarm.apply;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.model.ServiceSpec;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.transport.DockerHttpClient;
import org.ailtire.stack.RegistryAuth;
import org.ailtire.swarm.EngineHttp;
import org.ailtire.swarm.registry.ImageReference;
import org.ailtire.swarm.registry.RegistryAuthHeader;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Creates and updates services with the credentials for their image's registry, so swarm hands them to the nodes
 * that pull it ({@code --with-registry-auth}). docker-java's update command takes no credentials, so an update with
 * them is sent through docker-java's transport, with docker-java's own JSON mapping of the spec. A previous spec
 * put back on rollback is sent as the engine's own JSON ({@link RawServiceSpec}).
 */
final class ServiceWrites {
    private final DockerClient docker;
    private final RegistryAuth auth;

    ServiceWrites(DockerClient docker, RegistryAuth auth) {
        this.docker = docker;
        this.auth = auth;
    }

    String create(ServiceSpec spec) {
        var command = docker.createServiceCmd(spec);
        registryOf(spec).ifPresent(registry -> auth.forRegistry(registry)
                .ifPresent(c -> command.withAuthConfig(RegistryAuthHeader.authConfig(registry, c))));
        return command.exec().getId();
    }

    void update(String id, long version, ServiceSpec spec) {
        var credential = credentialFor(imageOf(spec));
        if (credential.isEmpty()) {
            docker.updateServiceCmd(id, spec).withVersion(version).exec();
            return;
        }
        byte[] body;
        try {
            body = DockerClientConfig.getDefaultObjectMapper().writeValueAsBytes(spec);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the spec of service " + spec.getName(), e);
        }
        post(id, version, spec.getName(), body, credential);
    }

    /** Puts a spec read from the engine back as it was, every field docker-java does not know included. */
    void restore(String id, long version, RawServiceSpec spec) {
        post(id, version, spec.name(), spec.bytes(), credentialFor(spec.image()));
    }

    private void post(String id, long version, String name, byte[] body, java.util.Optional<String> credential) {
        DockerHttpClient.Request.Builder request = DockerHttpClient.Request.builder()
                .method(DockerHttpClient.Request.Method.POST)
                .path("/services/" + id + "/update?version=" + version)
                .putHeader("Content-Type", "application/json")
                .bodyBytes(body);
        credential.ifPresent(c -> request.putHeader(RegistryAuthHeader.NAME, c));
        try (DockerHttpClient.Response response = EngineHttp.of(docker).execute(request.build());
             InputStream answer = response.getBody()) {
            byte[] text = answer.readAllBytes();
            if (response.getStatusCode() != 200) {
                throw new DockerException("updating service " + name + ": "
                        + new String(text, StandardCharsets.UTF_8), response.getStatusCode());
            }
        } catch (IOException e) {
            throw new DockerException("updating service " + name + ": " + e.getMessage(), 500);
        }
    }

    private java.util.Optional<String> credentialFor(String image) {
        if (image == null) {
            return java.util.Optional.empty();
        }
        String registry = ImageReference.parse(image).registry();
        return auth.forRegistry(registry).map(c -> RegistryAuthHeader.encode(registry, c));
    }

    private static java.util.Optional<String> registryOf(ServiceSpec spec) {
        return java.util.Optional.ofNullable(imageOf(spec)).map(image -> ImageReference.parse(image).registry());
    }

    private static String imageOf(ServiceSpec spec) {
        var container = spec.getTaskTemplate() == null ? null : spec.getTaskTemplate().getContainerSpec();
        return container == null ? null : container.getImage();
    }
}
