package org.ailtire.swarm.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.github.dockerjava.api.model.AuthConfig;
import org.ailtire.stack.Json;
import org.ailtire.stack.RegistryCredential;

import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/** The Engine API's {@code X-Registry-Auth}: base64url of {@code {username, password, serveraddress}}. */
public final class RegistryAuthHeader {
    public static final String NAME = "X-Registry-Auth";
    /** What the docker CLI sends as Docker Hub's server address. */
    static final String DOCKER_HUB_ADDRESS = "https://index.docker.io/v1/";

    private RegistryAuthHeader() {
    }

    public static String encode(String registry, RegistryCredential credential) {
        Map<String, String> auth = new LinkedHashMap<>();
        auth.put("username", credential.username());
        auth.put("password", credential.password());
        auth.put("serveraddress", serverAddress(registry));
        try {
            return Base64.getUrlEncoder().encodeToString(Json.MAPPER.writeValueAsBytes(auth));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The same, for docker-java commands that take an AuthConfig (they encode the header themselves). */
    public static AuthConfig authConfig(String registry, RegistryCredential credential) {
        return new AuthConfig().withUsername(credential.username()).withPassword(credential.password())
                .withRegistryAddress(serverAddress(registry));
    }

    private static String serverAddress(String registry) {
        return ImageReference.DOCKER_HUB.equals(registry) ? DOCKER_HUB_ADDRESS : registry;
    }
}
