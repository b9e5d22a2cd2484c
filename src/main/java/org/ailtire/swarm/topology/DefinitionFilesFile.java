package org.ailtire.swarm.topology;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import org.ailtire.definition.DefinitionFiles;
import org.ailtire.stack.Json;

import java.io.IOException;
import java.util.Map;

/**
 * The content of the swarm secret that hands a child stack's controller the files its tree names (see
 * {@link DefinitionFiles}): {@code {"fingerprint": ..., "files": {stack: {file: base64}}}}.
 *
 * <p>Like {@link RegistryAuthFile}: the secret is content-addressed (new content rolls the child's controller), and
 * the fingerprint, an HMAC of the files under a key derived from the tree's token, makes its name and the digest the
 * child records of what it was given reveal nothing a secret could be guessed from.
 */
public final class DefinitionFilesFile {
    private final TreeKeyedContent content;

    public DefinitionFilesFile(String token) {
        content = new TreeKeyedContent("ailtire definition files", token, "files", "definition files");
    }

    /** What a child's controller reads back. */
    public record Content(DefinitionFiles files, String fingerprint) {
    }

    public byte[] write(DefinitionFiles files) {
        return content.write(files.stacks());
    }

    /** @throws IllegalArgumentException when the content is not such a file (the message shows no value) */
    public static Content read(byte[] data) {
        try {
            JsonNode root = Json.MAPPER.readTree(data);
            Map<String, Map<String, String>> stacks = Json.MAPPER.convertValue(root.path("files"),
                    new TypeReference<Map<String, Map<String, String>>>() { });
            return new Content(new DefinitionFiles(stacks), root.path("fingerprint").asText(""));
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("the definition files file is not JSON of the expected shape");
        }
    }

    String fingerprint(DefinitionFiles files) {
        return content.fingerprint(files.stacks());
    }
}
