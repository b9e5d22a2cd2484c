package org.ailtire.definition;

/**
 * Reads the {@code mode} of a config or secret reference. Compose files write it in octal ({@code 0440}); YAML 1.2
 * would read that as decimal 440, so a leading zero (or {@code 0o}) means octal here, as it does for Compose.
 */
final class FileMode {
    private static final int MAX_MODE = 07777;

    private FileMode() {
    }

    static Integer read(Object value, String path, Problems problems) {
        if (value == null) {
            return null;
        }
        if (value instanceof Scalar scalar && scalar.kind() != Scalar.Kind.BOOL && scalar.kind() != Scalar.Kind.FLOAT) {
            String text = scalar.text().trim();
            try {
                int mode = text.startsWith("0o") ? Integer.parseInt(text.substring(2), 8)
                        : text.length() > 1 && text.startsWith("0") ? Integer.parseInt(text.substring(1), 8)
                        : Integer.parseInt(text);
                if (mode >= 0 && mode <= MAX_MODE) {
                    return mode;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        problems.error(path, "expected a file mode such as 0440, got " + Values.describe(value));
        return null;
    }
}
