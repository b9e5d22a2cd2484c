package org.ailtire.definition;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;

/**
 * The local files a tree of definitions names ({@code configs.*.file}, {@code secrets.*.file}, {@code env_file}),
 * read by the CLI and sent with the definition, so a controller, which reads no disk, can load it. By stack, then by
 * file: the stack is the path of a child stack below the definition's own ({@code ""} for the definition itself,
 * {@code backend}, {@code backend/db}), the file its reference as the definition writes it, normalized and relative
 * to that stack's file ({@code secrets/db.txt}). On the wire and in {@code toString}: base64 content in JSON only; it
 * is never printed, since some of it is secret.
 */
public final class DefinitionFiles {
    public static final DefinitionFiles NONE = new DefinitionFiles(Map.of());

    /** stack -> file -> base64 content; sorted, so equal files compare and serialize equal. */
    private final Map<String, Map<String, String>> stacks;

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public DefinitionFiles(Map<String, Map<String, String>> stacks) {
        Map<String, Map<String, String>> sorted = new TreeMap<>();
        if (stacks != null) {
            stacks.forEach((stack, files) -> {
                if (files != null && !files.isEmpty()) {
                    sorted.put(stack, java.util.Collections.unmodifiableMap(new TreeMap<>(files)));
                }
            });
        }
        this.stacks = java.util.Collections.unmodifiableMap(sorted);
    }

    /** From bytes: stack -> file -> content. */
    public static DefinitionFiles of(Map<String, Map<String, byte[]>> stacks) {
        Map<String, Map<String, String>> encoded = new TreeMap<>();
        stacks.forEach((stack, files) -> {
            Map<String, String> level = new TreeMap<>();
            files.forEach((file, data) -> level.put(file, Base64.getEncoder().encodeToString(data)));
            encoded.put(stack, level);
        });
        return new DefinitionFiles(encoded);
    }

    @JsonValue
    public Map<String, Map<String, String>> stacks() {
        return stacks;
    }

    public boolean isEmpty() {
        return stacks.isEmpty();
    }

    /** The content of a file of this stack (not of a child), null when it was not sent. */
    public byte[] own(String reference) {
        String key = key(reference);
        String data = key == null ? null : stacks.getOrDefault("", Map.of()).get(key);
        return data == null ? null : Base64.getDecoder().decode(data);
    }

    /** The files of child stack {@code key} and its children, the child's own at {@code ""}. */
    public DefinitionFiles child(String key) {
        Map<String, Map<String, String>> below = new TreeMap<>();
        stacks.forEach((stack, files) -> {
            if (stack.equals(key)) {
                below.put("", files);
            } else if (stack.startsWith(key + "/")) {
                below.put(stack.substring(key.length() + 1), files);
            }
        });
        return below.isEmpty() ? NONE : new DefinitionFiles(below);
    }

    /** These files as those of child stack {@code key} (what a parent holds of its child). */
    public DefinitionFiles under(String key) {
        Map<String, Map<String, String>> above = new TreeMap<>();
        stacks.forEach((stack, files) -> above.put(stack.isEmpty() ? key : key + "/" + stack, files));
        return new DefinitionFiles(above);
    }

    /** How many bytes the files hold, decoded. */
    public long size() {
        return stacks.values().stream().flatMap(f -> f.values().stream())
                .mapToLong(data -> Base64.getDecoder().decode(data).length).sum();
    }

    /**
     * The key a reference is kept under: the relative path, normalized ({@code ./a/../b.txt} is {@code b.txt}); null
     * for a reference that is absolute or leads out of its directory (never sent, never found).
     */
    public static String key(String reference) {
        try {
            Path path = Path.of(reference).normalize();
            if (path.isAbsolute() || path.toString().isEmpty() || path.startsWith("..")) {
                return null;
            }
            return path.toString();
        } catch (InvalidPathException e) {
            return null;
        }
    }

    /**
     * What differs from {@code before}, one line per file ({@code changed: backend:db.txt}), naming files only, never
     * their content; empty when nothing does.
     */
    public java.util.List<String> changesFrom(DefinitionFiles before) {
        java.util.List<String> changes = new java.util.ArrayList<>();
        java.util.Set<String> stackNames = new java.util.TreeSet<>(stacks.keySet());
        stackNames.addAll(before.stacks.keySet());
        for (String stack : stackNames) {
            Map<String, String> now = stacks.getOrDefault(stack, Map.of());
            Map<String, String> then = before.stacks.getOrDefault(stack, Map.of());
            java.util.Set<String> names = new java.util.TreeSet<>(now.keySet());
            names.addAll(then.keySet());
            for (String file : names) {
                String shown = (stack.isEmpty() ? "" : stack + ":") + file;
                if (!then.containsKey(file)) {
                    changes.add("added: " + shown);
                } else if (!now.containsKey(file)) {
                    changes.add("removed: " + shown);
                } else if (!now.get(file).equals(then.get(file))) {
                    changes.add("changed: " + shown);
                }
            }
        }
        return changes;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DefinitionFiles other && stacks.equals(other.stacks);
    }

    @Override
    public int hashCode() {
        return stacks.hashCode();
    }

    /** Names and sizes, never content. */
    @Override
    public String toString() {
        Map<String, Object> shown = new TreeMap<>();
        stacks.forEach((stack, files) -> files.forEach((file, data) ->
                shown.put((stack.isEmpty() ? "" : stack + ":") + file, Base64.getDecoder().decode(data).length + " bytes")));
        return "DefinitionFiles" + shown;
    }
}
