package org.ailtire.stack;

import java.util.regex.Pattern;

/** Names of services and stacks as they travel in URLs and queries: no separators, no path traversal. */
public final class Names {
    private static final Pattern VALID = Pattern.compile("[a-zA-Z0-9_.-]{1,128}");

    private Names() {
    }

    public static boolean isValid(String name) {
        return name != null && VALID.matcher(name).matches() && !name.equals(".") && !name.equals("..");
    }

    /** A service anywhere below a stack: names joined by {@code /}, e.g. {@code backend/db}, at most 16 deep. */
    public static boolean isValidPath(String path) {
        if (path == null || path.isEmpty()) {
            return false;
        }
        String[] parts = path.split("/", -1);
        return parts.length <= 16 && java.util.Arrays.stream(parts).allMatch(Names::isValid);
    }

    public static String requirePath(String field, String path) {
        if (!isValidPath(path)) {
            throw new IllegalArgumentException(field + ": expected names of [a-zA-Z0-9_.-] joined by / (not . or ..), got "
                    + (path == null ? "nothing" : '"' + path + '"'));
        }
        return path;
    }

    /** @throws IllegalArgumentException naming the field when {@code name} is not a valid name */
    public static String require(String field, String name) {
        if (!isValid(name)) {
            throw new IllegalArgumentException(field + ": expected 1 to 128 of [a-zA-Z0-9_.-] (not . or ..), got "
                    + (name == null ? "nothing" : '"' + name + '"'));
        }
        return name;
    }
}
