package org.ailtire.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.ailtire.stack.Json;
import org.ailtire.stack.RegistryCredential;
import org.ailtire.swarm.registry.ImageReference;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The credentials {@code docker login} keeps in the docker CLI's config file ({@code $DOCKER_CONFIG/config.json},
 * else {@code ~/.docker/config.json}): {@code auths.<registry>.auth}, base64 of {@code user:password}. Credential
 * helpers ({@code credsStore}, {@code credHelpers}) are not run; they are reported as warnings.
 *
 * @param registries credentials by registry host (see {@link ImageReference#normalizeHost})
 * @param warnings   what was skipped, and why (never a credential)
 */
public record DockerConfigAuth(Map<String, RegistryCredential> registries, List<String> warnings) {
    public DockerConfigAuth {
        registries = Map.copyOf(registries);
        warnings = List.copyOf(warnings);
    }

    public static Path file(Map<String, String> env, Path home) {
        String dir = env.get("DOCKER_CONFIG");
        return (dir != null && !dir.isBlank() ? Path.of(dir) : home.resolve(".docker")).resolve("config.json");
    }

    /** What the file holds; a missing file holds nothing. */
    public static DockerConfigAuth read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            return new DockerConfigAuth(Map.of(), List.of());
        }
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(Files.readString(file));
        } catch (IOException e) {
            throw new IOException(file + " is not JSON: " + e.getMessage(), e);
        }
        Map<String, RegistryCredential> registries = new TreeMap<>();
        List<String> warnings = new ArrayList<>();
        if (root.hasNonNull("credsStore")) {
            warnings.add(file + ": the credential helper \"" + root.get("credsStore").asText() + "\" (credsStore) is not "
                    + "run; give its registries' credentials with --registry-auth");
        }
        root.path("credHelpers").properties().forEach(e -> warnings.add(file + ": registry " + e.getKey()
                + " uses the credential helper \"" + e.getValue().asText() + "\", which is not run; give it with "
                + "--registry-auth"));
        root.path("auths").properties().forEach(e -> {
            String registry = ImageReference.normalizeHost(e.getKey());
            String auth = e.getValue().path("auth").asText("");
            if (auth.isEmpty()) {
                if (!root.path("credHelpers").has(e.getKey()) && !root.hasNonNull("credsStore")) {
                    warnings.add(file + ": registry " + e.getKey() + " has no \"auth\" entry; skipped");
                }
                return;
            }
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(auth), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException notBase64) {
                warnings.add(file + ": the \"auth\" of registry " + e.getKey() + " is not base64; skipped");
                return;
            }
            int colon = decoded.indexOf(':');
            if (colon <= 0) {
                warnings.add(file + ": the \"auth\" of registry " + e.getKey() + " is not user:password; skipped");
                return;
            }
            registries.put(registry, new RegistryCredential(decoded.substring(0, colon), decoded.substring(colon + 1)));
        });
        return new DockerConfigAuth(registries, warnings);
    }
}
