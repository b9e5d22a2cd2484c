package org.ailtire.definition;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/** A mapping of the definition at a known path, with typed accessors that report problems at the key's path. */
final class Fields {
    static final String SWARM_IGNORES = "ignored: not supported by swarm (docker stack deploy ignores it too)";
    static final String NOT_SUPPORTED_YET = "ignored: not supported by ailtire yet";

    private final Map<String, Object> map;
    private final String path;
    private final Problems problems;

    private Fields(Map<String, Object> map, String path, Problems problems) {
        this.map = map;
        this.path = path;
        this.problems = problems;
    }

    /** The mapping at {@code path}; null reads as empty, any other non-mapping is reported and reads as empty. */
    @SuppressWarnings("unchecked")
    static Fields of(Object value, String path, Problems problems) {
        if (value instanceof Map<?, ?> map) {
            return new Fields((Map<String, Object>) map, path, problems);
        }
        if (value != null) {
            problems.error(path, "expected a mapping, got " + Values.describe(value));
        }
        return new Fields(Map.of(), path, problems);
    }

    /**
     * Reports keys outside {@code supported}: known ones in {@code ignored} as warnings with their reason, {@code x-}
     * extensions as warnings unless {@code keepsExtensions}, anything else as an unknown key.
     */
    void checkKeys(Set<String> supported, Map<String, String> ignored, boolean keepsExtensions) {
        for (String key : map.keySet()) {
            if (supported.contains(key) || keepsExtensions && key.startsWith("x-")) {
                continue;
            }
            if (key.startsWith("x-")) {
                problems.warning(at(key), "ignored: extension fields are kept only at the top level and in services");
            } else if (ignored.containsKey(key)) {
                problems.warning(at(key), ignored.get(key));
            } else {
                problems.error(at(key), "unknown key");
            }
        }
    }

    Map<String, Object> extensions() {
        Map<String, Object> extensions = new LinkedHashMap<>();
        map.forEach((key, value) -> {
            if (key.startsWith("x-")) {
                extensions.put(key, Values.plain(value));
            }
        });
        return extensions;
    }

    Set<String> keys() {
        return map.keySet();
    }

    boolean has(String key) {
        return map.containsKey(key);
    }

    Object get(String key) {
        return map.get(key);
    }

    String at(String key) {
        return Problems.child(path, key);
    }

    String path() {
        return path;
    }

    Problems problems() {
        return problems;
    }

    Fields fields(String key) {
        return of(get(key), at(key), problems);
    }

    String string(String key) {
        return Values.string(get(key), at(key), problems);
    }

    Integer integer(String key) {
        return Values.integer(get(key), at(key), problems);
    }

    Integer nonNegative(String key) {
        return Values.nonNegative(get(key), at(key), problems);
    }

    Double number(String key) {
        return Values.number(get(key), at(key), problems);
    }

    Boolean bool(String key) {
        return Values.bool(get(key), at(key), problems);
    }

    boolean flag(String key) {
        return Boolean.TRUE.equals(bool(key));
    }

    Duration duration(String key) {
        return parsed(key, Units::duration);
    }

    <T> T parsed(String key, Function<String, T> parser) {
        return Values.parsed(get(key), at(key), problems, parser);
    }

    List<String> strings(String key, boolean single) {
        return Values.strings(get(key), at(key), problems, single);
    }

    /**
     * A mapping or KEY=VALUE list where a missing value means the empty string (labels, driver options). Control
     * characters are refused in names and values: labels travel in engine API headers and filters and are shown
     * on terminals, where a CR LF or an escape sequence could forge lines.
     */
    Map<String, String> labels(String key) {
        Map<String, String> labels = Values.stringMap(get(key), at(key), problems);
        labels.replaceAll((name, value) -> value == null ? "" : value);
        labels.forEach((name, value) -> {
            if (hasControlCharacter(name) || name.isBlank()) {
                problems.error(at(key), "invalid name " + quoted(name) + ": empty or with control characters");
            } else if (hasControlCharacter(value)) {
                problems.error(at(key) + "." + name, "control characters are not allowed in the value " + quoted(value));
            }
        });
        return labels;
    }

    private static boolean hasControlCharacter(String text) {
        return text.codePoints().anyMatch(Character::isISOControl);
    }

    /** The text in quotes with control characters shown as escapes (a problem message must not carry them). */
    private static String quoted(String text) {
        StringBuilder shown = new StringBuilder("\"");
        text.codePoints().forEach(c -> {
            switch (c) {
                case '\r' -> shown.append("\\r");
                case '\n' -> shown.append("\\n");
                case '\t' -> shown.append("\\t");
                default -> {
                    if (Character.isISOControl(c)) {
                        shown.append(String.format("\\u%04x", c));
                    } else {
                        shown.appendCodePoint(c);
                    }
                }
            }
        });
        return shown.append('"').toString();
    }

    <E extends Enum<E>> E choice(String key, Class<E> type) {
        return Values.choice(get(key), at(key), problems, type);
    }

    void error(String key, String message) {
        problems.error(at(key), message);
    }
}
