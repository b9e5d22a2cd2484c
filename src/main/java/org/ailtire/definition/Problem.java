package org.ailtire.definition;

/**
 * One finding about a definition.
 *
 * @param path    dotted path of the key, e.g. {@code services.web.deploy.replicas} (empty for the document)
 * @param message what is wrong, e.g. {@code expected an integer, got "three"}
 */
public record Problem(Severity severity, String path, String message) {
    public enum Severity { ERROR, WARNING }

    public static Problem error(String path, String message) {
        return new Problem(Severity.ERROR, path, message);
    }

    public static Problem warning(String path, String message) {
        return new Problem(Severity.WARNING, path, message);
    }

    @Override
    public String toString() {
        return (path.isEmpty() ? "" : path + ": ") + message + (severity == Severity.WARNING ? " (warning)" : "");
    }
}
