package org.ailtire.definition;

import java.util.Objects;

/**
 * {@code x-ailtire.stack} of a child stack service: the child's own definition, handed to its controller.
 *
 * @param definition the child's definition as YAML text, not interpolated: the child's controller interpolates it
 *                   with the service's {@code environment} (a mapping in the file is written out as YAML)
 * @param path       where the parent's gateway routes the child's controller ({@code x-ailtire.path}, by default
 *                   {@code /<key>}), the prefix stripped
 */
public record ChildStackReference(String definition, String path) {
    public ChildStackReference {
        Objects.requireNonNull(definition, "definition");
        Objects.requireNonNull(path, "path");
    }
}
