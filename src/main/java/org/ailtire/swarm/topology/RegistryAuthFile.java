package org.ailtire.swarm.topology;

import com.fasterxml.jackson.databind.JsonNode;
import org.ailtire.stack.Json;
import org.ailtire.stack.RegistryAuth;
import org.ailtire.stack.RegistryCredential;

import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;

/**
 * The content of the swarm secret that hands a child stack's controller its registry credentials:
 * {@code {"fingerprint": ..., "registries": {registry: {username, password}}}}.
 *
 * <p>The secret is content-addressed (new credentials are a new secret, which rolls the child's controller), and its
 * name carries a digest of this content. The fingerprint, an HMAC of the credentials under a key derived from the
 * tree's token, is part of that content, so the name reveals nothing a password could be guessed from. The child
 * counts the fingerprint into the digest of what it was given, so a restart after new credentials applies them.
 */
public final class RegistryAuthFile {
    private final TreeKeyedContent content;

    public RegistryAuthFile(String token) {
        content = new TreeKeyedContent("ailtire registry credentials", token, "registries", "registry credentials");
    }

    /** What a child's controller reads back. */
    public record Content(RegistryAuth auth, String fingerprint) {
        @Override
        public String toString() {
            return "Content[" + auth + ", " + fingerprint + "]";
        }
    }

    public byte[] write(RegistryAuth auth) {
        return content.write(auth.registries());
    }

    /** @throws IllegalArgumentException when the content is not such a file (the message shows no value) */
    public static Content read(byte[] data) {
        try {
            JsonNode root = Json.MAPPER.readTree(data);
            Map<String, RegistryCredential> registries = new TreeMap<>();
            root.path("registries").properties().forEach(e -> registries.put(e.getKey(),
                    new RegistryCredential(e.getValue().path("username").asText(), e.getValue().path("password").asText())));
            return new Content(new RegistryAuth(registries), root.path("fingerprint").asText(""));
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("the registry credentials file is not JSON of the expected shape");
        }
    }

    String fingerprint(RegistryAuth auth) {
        return content.fingerprint(auth.registries());
    }
}
