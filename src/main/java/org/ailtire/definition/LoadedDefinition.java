package org.ailtire.definition;

import java.util.List;

/**
 * A definition that loaded, with the warnings (unsupported or ignored keys, unset variables) found on the way.
 *
 * @param name the file's top-level {@code name:}, or null when it has none
 */
public record LoadedDefinition(StackDefinition definition, List<Problem> warnings, String name) {
    public LoadedDefinition {
        warnings = List.copyOf(warnings);
    }

    public LoadedDefinition(StackDefinition definition, List<Problem> warnings) {
        this(definition, warnings, null);
    }
}
