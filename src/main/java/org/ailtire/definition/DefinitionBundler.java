package org.ailtire.definition;

import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.common.FlowStyle;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Makes one self-contained definition out of a tree of files: a child stack written as
 * {@code x-ailtire: {stack: backend.yml}} (a file next to its parent's) gets that file's text inline, recursively,
 * so the definition can travel to a controller that has no access to the files. Files outside the parent file's
 * directory are refused, like every file reference of a definition.
 */
public final class DefinitionBundler {
    private static final int MAX_DEPTH = 16;

    private DefinitionBundler() {
    }

    /** A definition that travels: its text with child files inlined, and the files its levels name. */
    public record Bundle(String definition, DefinitionFiles files) {
    }

    /**
     * The definition as {@link #bundle(Path)} makes it, and the files every level of the tree names
     * ({@code configs.*.file}, {@code secrets.*.file}, {@code env_file}), read from inside each level's directory.
     */
    public static Bundle bundleWithFiles(Path file) throws DefinitionException {
        return new Bundle(bundle(file), LocalFiles.read(file));
    }

    public static String bundle(Path file) throws DefinitionException {
        return bundle(file.toAbsolutePath().normalize(), file.toAbsolutePath().getParent(), 0);
    }

    private static String bundle(Path file, Path baseDirectory, int depth) throws DefinitionException {
        if (depth > MAX_DEPTH) {
            throw problem(file.toString(), "child stacks nested deeper than " + MAX_DEPTH + " levels (a cycle?)");
        }
        String text = read(file);
        Object tree = new Load(LoadSettings.builder().setCodePointLimit(DefinitionLoader.MAX_DEFINITION_BYTES).build())
                .loadFromString(text);
        if (!(tree instanceof Map<?, ?> top) || !(top.get("services") instanceof Map<?, ?> services)) {
            return text;
        }
        boolean changed = false;
        for (Map.Entry<?, ?> service : services.entrySet()) {
            var reference = AiltireExtensionReader.childFile(service.getValue());
            if (reference.isPresent()) {
                Path child = baseDirectory.resolve(reference.get()).normalize();
                if (!child.startsWith(baseDirectory)) {
                    throw problem("services." + service.getKey() + "." + AiltireExtension.KEY + ".stack",
                            "file " + reference.get() + " is outside " + baseDirectory);
                }
                AiltireExtensionReader.inlineChild(service.getValue(), bundle(child, child.getParent(), depth + 1));
                changed = true;
            }
        }
        return changed ? new Dump(DumpSettings.builder().setDefaultFlowStyle(FlowStyle.BLOCK).build()).dumpToString(tree)
                : text;
    }

    private static String read(Path file) throws DefinitionException {
        try {
            if (Files.size(file) > DefinitionLoader.MAX_DEFINITION_BYTES) {
                throw problem(file.toString(), "larger than " + DefinitionLoader.MAX_DEFINITION_BYTES + " bytes");
            }
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw problem(file.toString(), "cannot read: " + e.getMessage());
        }
    }

    private static DefinitionException problem(String path, String message) {
        return new DefinitionException(List.of(Problem.error(path, message)));
    }
}
