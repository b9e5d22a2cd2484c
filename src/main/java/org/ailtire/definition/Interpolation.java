package org.ailtire.definition;

import java.util.List;
import java.util.Map;

/**
 * Compose variable interpolation in string values: {@code $VAR}, {@code ${VAR}}, {@code ${VAR:-default}} (unset or
 * empty), {@code ${VAR-default}} (unset), {@code ${VAR:?message}} / {@code ${VAR?message}} (required),
 * {@code ${VAR:+alternative}} / {@code ${VAR+alternative}}, and {@code $$} for a literal {@code $}. Defaults,
 * alternatives and messages may themselves hold interpolations. Like the docker CLI, an unset variable without
 * a default becomes an empty string with a warning. Every character produced counts against a budget, so many
 * references to a large variable fail fast instead of exhausting memory.
 */
final class Interpolation {
    private final Map<String, String> variables;
    private final Problems problems;
    private final long maxChars;
    private long produced;

    Interpolation(Map<String, String> variables, Problems problems) {
        this(variables, problems, DefinitionLoader.MAX_EXPANDED_CHARS);
    }

    /** @param maxChars how many characters all interpolations together may produce (nested ones count again) */
    Interpolation(Map<String, String> variables, Problems problems, long maxChars) {
        this.variables = Map.copyOf(variables);
        this.problems = problems;
        this.maxChars = maxChars;
    }

    /** {@link #applyTo} from the root of a definition, refusing it whole when it would expand beyond the budget. */
    void applyToDefinition(Object tree) throws DefinitionTooLargeException {
        try {
            applyTo(tree, "");
        } catch (TooLarge e) {
            throw new DefinitionTooLargeException(e.path, e.getMessage());
        }
    }

    /**
     * Interpolates every string scalar of the tree in place (keys are left alone), except a child stack's inline
     * definition ({@code services.<name>.x-ailtire.stack}): the child controller interpolates that itself, with the
     * environment its parent gives it.
     */
    @SuppressWarnings("unchecked")
    Object applyTo(Object tree, String path) {
        if (AiltireExtensionReader.isChildDefinition(path)) {
            return tree;
        }
        switch (tree) {
            case Map<?, ?> map -> ((Map<String, Object>) map).replaceAll((key, value) -> applyTo(value, Problems.child(path, key)));
            case List<?> list -> {
                List<Object> items = (List<Object>) list;
                for (int i = 0; i < items.size(); i++) {
                    items.set(i, applyTo(items.get(i), Problems.index(path, i)));
                }
            }
            case Scalar scalar when scalar.kind() == Scalar.Kind.STRING -> {
                String value = interpolate(scalar.text(), path);
                return value == null ? scalar : Scalar.string(value);
            }
            case null, default -> {
            }
        }
        return tree;
    }

    /** @return the interpolated text, or null when it is malformed or a required variable is missing (reported) */
    String interpolate(String text, String path) {
        if (text.indexOf('$') < 0) {
            return text;
        }
        try {
            return expand(text, path);
        } catch (Malformed e) {
            problems.error(path, e.getMessage());
            return null;
        }
    }

    private String expand(String text, String path) throws Malformed {
        StringBuilder out = new StringBuilder(text.length());
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c != '$') {
                int plain = text.indexOf('$', i);
                int end = plain < 0 ? text.length() : plain;
                append(out, text, i, end, path);
                i = end;
                continue;
            }
            char next = i + 1 < text.length() ? text.charAt(i + 1) : 0;
            if (next == '$') {
                append(out, "$", 0, 1, path);
                i += 2;
            } else if (next == '{') {
                int end = closingBrace(text, i + 2);
                if (end < 0) {
                    throw new Malformed("invalid interpolation in \"" + text + "\": \"${\" without a closing \"}\"");
                }
                String value = braced(text.substring(i + 2, end), path);
                append(out, value, 0, value.length(), path);
                i = end + 1;
            } else if (isNameStart(next)) {
                int end = nameEnd(text, i + 1);
                String value = lookup(text.substring(i + 1, end), path);
                append(out, value, 0, value.length(), path);
                i = end;
            } else {
                throw new Malformed("invalid interpolation in \"" + text
                        + "\": \"$\" must be followed by a name, \"{\" or \"$\" (write \"$$\" for a literal \"$\")");
            }
        }
        return out.toString();
    }

    private void append(StringBuilder out, String text, int from, int to, String path) {
        produced += to - from;
        if (produced > maxChars) {
            throw new TooLarge(path, "interpolation produces more than " + maxChars
                    + " characters (a large variable used many times?)");
        }
        out.append(text, from, to);
    }

    private String braced(String body, String path) throws Malformed {
        int nameEnd = isNameStart(body.isEmpty() ? 0 : body.charAt(0)) ? nameEnd(body, 0) : 0;
        if (nameEnd == 0) {
            throw new Malformed("invalid interpolation \"${" + body + "}\": expected a variable name");
        }
        String name = body.substring(0, nameEnd);
        String rest = body.substring(nameEnd);
        if (rest.isEmpty()) {
            return lookup(name, path);
        }
        boolean colon = rest.startsWith(":");
        String operator = colon ? rest.substring(0, Math.min(2, rest.length())) : rest.substring(0, 1);
        String argument = rest.substring(operator.length());
        String value = variables.get(name);
        boolean present = colon ? value != null && !value.isEmpty() : value != null;
        return switch (operator.substring(operator.length() - 1)) {
            case "-" -> present ? value : expand(argument, path);
            case "+" -> present ? expand(argument, path) : "";
            case "?" -> {
                if (!present) {
                    throw new Malformed("required variable " + name + " is missing a value"
                            + (argument.isEmpty() ? "" : ": " + expand(argument, path)));
                }
                yield value;
            }
            default -> throw new Malformed("invalid interpolation \"${" + body
                    + "}\": expected \"}\", \":-\", \"-\", \":?\", \"?\", \":+\" or \"+\" after the name");
        };
    }

    private String lookup(String name, String path) {
        String value = variables.get(name);
        if (value == null) {
            problems.warning(path, "variable " + name + " is not set, using an empty string");
            return "";
        }
        return value;
    }

    /** @return the index of the "}" closing a "${" whose body starts at {@code from}, honouring nested "${...}" */
    private static int closingBrace(String text, int from) {
        int depth = 1;
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '$' && i + 1 < text.length() && (text.charAt(i + 1) == '{' || text.charAt(i + 1) == '$')) {
                depth += text.charAt(i + 1) == '{' ? 1 : 0;
                i++;
            } else if (c == '}' && --depth == 0) {
                return i;
            }
        }
        return -1;
    }

    private static boolean isNameStart(char c) {
        return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static int nameEnd(String text, int from) {
        int i = from;
        while (i < text.length() && (isNameStart(text.charAt(i)) || Character.isDigit(text.charAt(i)) && text.charAt(i) < 128)) {
            i++;
        }
        return i;
    }

    private static final class TooLarge extends RuntimeException {
        final String path;

        TooLarge(String path, String message) {
            super(message, null, false, false);
            this.path = path;
        }
    }

    private static final class Malformed extends Exception {
        Malformed(String message) {
            super(message, null, false, false);
        }
    }
}
