package org.ailtire.policy;

import org.ailtire.definition.DefinitionException;
import org.ailtire.definition.Problem;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A deploy's {@code --policy-file}: YAML (or JSON) with the keys of {@link DefinitionPolicy}, e.g.
 * <pre>
 * allow_bind: [/srv/data]
 * allow_cap: [NET_ADMIN]
 * </pre>
 */
public final class PolicyFile {
    private static final int MAX_BYTES = 64 * 1024;

    private PolicyFile() {
    }

    public static DefinitionPolicy read(Path file) throws IOException, DefinitionException {
        byte[] content = Files.readAllBytes(file);
        String where = file.getFileName().toString();
        if (content.length > MAX_BYTES) {
            throw new DefinitionException(List.of(Problem.error(where, "larger than " + MAX_BYTES + " bytes")));
        }
        Object value;
        try {
            // No aliases: a policy has no use for them, and they are how a small file becomes a large tree.
            value = new Load(LoadSettings.builder().setMaxAliasesForCollections(0).build())
                    .loadFromString(new String(content, StandardCharsets.UTF_8));
        } catch (YamlEngineException e) {
            throw new DefinitionException(List.of(Problem.error(where, "not YAML: " + e.getMessage())));
        }
        List<Problem> problems = new ArrayList<>();
        DefinitionPolicy policy = DefinitionPolicy.read(value == null ? java.util.Map.of() : value, "", problems);
        if (!problems.isEmpty()) {
            throw new DefinitionException(problems.stream()
                    .map(p -> Problem.error(where + (p.path().isEmpty() ? "" : ": " + p.path()), p.message())).toList());
        }
        return policy;
    }
}
