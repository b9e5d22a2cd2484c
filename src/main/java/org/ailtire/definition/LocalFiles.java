package org.ailtire.definition;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Reads the files a local tree of definitions names, at every level: {@code configs.*.file}, {@code secrets.*.file}
 * and {@code services.*.env_file}, each relative to its own stack's file (a child stack written as
 * {@code x-ailtire: {stack: backend.yml}} resolves its files next to {@code backend.yml}; one written inline next to
 * its parent's), and only from inside that directory. The result travels with the definition (see
 * {@link DefinitionFiles}).
 */
final class LocalFiles {
    private static final int MAX_DEPTH = 16;
    /**
     * All files of a tree together: they reach each controller as one swarm secret (at most 500 KB once encoded), and
     * the update request that carries them stays under the control plane's 1 MiB.
     */
    static final int MAX_TOTAL_BYTES = 360 * 1024;

    private final Map<String, Map<String, byte[]>> read = new TreeMap<>();
    private final Problems problems = new Problems();
    private long total;

    private LocalFiles() {
    }

    static DefinitionFiles read(Path file) throws DefinitionException {
        LocalFiles files = new LocalFiles();
        Path top = file.toAbsolutePath().normalize();
        files.walk(files.tree(top, ""), top.getParent(), "", "", 0);
        if (files.total > MAX_TOTAL_BYTES) {
            files.problems.error("", "the files the definition names are " + files.total + " bytes together; at most "
                    + MAX_TOTAL_BYTES + " travel with a definition");
        }
        files.problems.throwIfErrors();
        return DefinitionFiles.of(files.read);
    }

    private Map<String, Object> tree(Path file, String at) throws DefinitionException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new DefinitionException(List.of(Problem.error(at.isEmpty() ? file.toString() : at,
                    "cannot read " + file + ": " + e.getMessage())));
        }
        return parse(text);
    }

    /** A definition that is not YAML of a mapping names no files; the controller reports what is wrong with it. */
    private static Map<String, Object> parse(String text) {
        try {
            return new YamlReader(DefinitionLoader.MAX_DEFINITION_BYTES).read(text);
        } catch (DefinitionException | RuntimeException unusable) {
            return Map.of();
        }
    }

    /**
     * @param stack  the stack's path below the top ({@code ""}, {@code backend}, {@code backend/db})
     * @param prefix where the stack's definition sits in the top's ({@code services.backend.x-ailtire.stack.})
     */
    private void walk(Map<String, Object> tree, Path directory, String stack, String prefix, int depth)
            throws DefinitionException {
        if (depth > MAX_DEPTH) {
            throw new DefinitionException(List.of(Problem.error(prefix, "child stacks nested deeper than " + MAX_DEPTH
                    + " levels (a cycle?)")));
        }
        FileAccess access = new FileAccess(directory);
        for (String section : List.of("configs", "secrets")) {
            if (tree.get(section) instanceof Map<?, ?> entries) {
                entries.forEach((key, entry) -> {
                    if (entry instanceof Map<?, ?> fields && text(fields.get("file")) instanceof String reference) {
                        String path = prefix + section + "." + key + ".file";
                        byte[] data = read(access, reference, path, stack);
                        if (data != null && data.length > TopLevelReader.MAX_FILE_OBJECT_BYTES) {
                            problems.error(path, "\"" + reference + "\" is " + data.length + " bytes; swarm allows at most "
                                    + TopLevelReader.MAX_FILE_OBJECT_BYTES + " bytes for a config or secret");
                        }
                    }
                });
            }
        }
        if (!(tree.get("services") instanceof Map<?, ?> services)) {
            return;
        }
        for (Map.Entry<?, ?> service : services.entrySet()) {
            if (!(service.getValue() instanceof Map<?, ?> fields)) {
                continue;
            }
            String at = prefix + "services." + service.getKey();
            Object envFile = fields.get("env_file");
            if (text(envFile) instanceof String reference) {
                read(access, reference, at + ".env_file", stack);
            } else if (envFile instanceof List<?> references) {
                for (int i = 0; i < references.size(); i++) {
                    if (text(references.get(i)) instanceof String reference) {
                        read(access, reference, at + ".env_file[" + i + "]", stack);
                    }
                }
            }
            Optional<Object> childStack = AiltireExtensionReader.childStack(fields);
            if (childStack.isPresent()) {
                child(childStack.get(), directory, stack.isEmpty() ? String.valueOf(service.getKey())
                        : stack + "/" + service.getKey(), at + "." + AiltireExtension.KEY + ".stack", depth);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private void child(Object definition, Path directory, String stack, String at, int depth)
            throws DefinitionException {
        String text = text(definition);
        if (text != null && isFileReference(text)) {
            String reference = text;
            Path file = directory.resolve(reference).normalize();
            if (!file.startsWith(directory)) {
                problems.error(at, "file " + reference + " is outside " + directory);
                return;
            }
            walk(tree(file, at), file.getParent(), stack, at + ".", depth + 1);
        } else if (text != null) {
            walk(parse(text), directory, stack, at + ".", depth + 1);
        } else if (definition instanceof Map<?, ?> inline) {
            walk((Map<String, Object>) inline, directory, stack, at + ".", depth + 1);
        }
    }

    /** The text of a scalar as the YAML reader gives it, null for anything else. */
    private static String text(Object value) {
        return value instanceof Scalar scalar ? scalar.text() : value instanceof String s ? s : null;
    }

    /** What {@link DefinitionBundler} inlines as a child's file (a child's files are resolved next to it). */
    private static boolean isFileReference(String value) {
        return !value.contains("\n") && (value.endsWith(".yml") || value.endsWith(".yaml"));
    }

    private byte[] read(FileAccess access, String reference, String path, String stack) {
        if (reference.contains("$")) {
            problems.error(path, "\"" + reference + "\": the CLI sends the files a definition names and reads their "
                    + "names as written; write the file name out (no variables)");
            return null;
        }
        byte[] data = access.read(reference, path, problems);
        String key = DefinitionFiles.key(reference);
        if (data != null && key != null) {
            if (read.computeIfAbsent(stack, s -> new TreeMap<>()).put(key, data) == null) {
                total += data.length;
            }
        }
        return data;
    }
}
