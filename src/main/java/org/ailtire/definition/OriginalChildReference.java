package org.ailtire.definition;

import java.util.Objects;

/**
 * {@code x-ailtire: {compatibility: original}} of a service whose image is an original (Node.js) ailtire sidecar: an
 * original child stack. Its definition is its own (the original bakes it into its image or has it mounted); the
 * parent runs it with the original's variables and speaks the original's protocol to it.
 *
 * @param path its gateway path ({@code x-ailtire.path}, by default {@code /<key>})
 */
public record OriginalChildReference(String path) {
    /** The value of {@code compatibility} that marks it. */
    public static final String ORIGINAL = "original";

    public OriginalChildReference {
        Objects.requireNonNull(path, "path");
    }
}
