package org.ailtire.definition;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Parses an {@code env_file} the way the docker CLI does for {@code docker stack deploy}: one {@code KEY=VALUE} per
 * line, blank lines and lines starting with {@code #} skipped, values taken literally (no quote removal, no
 * interpolation); a {@code KEY} alone maps to null, i.e. "take it from the environment".
 */
final class EnvFile {
    private EnvFile() {
    }

    static Map<String, String> parse(String content, String path, Problems problems) {
        Map<String, String> variables = new LinkedHashMap<>();
        String[] lines = content.startsWith("\uFEFF") ? content.substring(1).split("\\R") : content.split("\\R");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].stripLeading();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int equals = line.indexOf('=');
            String key = equals < 0 ? line.stripTrailing() : line.substring(0, equals);
            if (key.isEmpty() || key.chars().anyMatch(Character::isWhitespace)) {
                problems.error(path, "line " + (i + 1) + ": invalid variable name \"" + key + "\"");
                continue;
            }
            variables.put(key, equals < 0 ? null : line.substring(equals + 1));
        }
        return variables;
    }
}
