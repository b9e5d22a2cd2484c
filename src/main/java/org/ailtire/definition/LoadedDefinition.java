package org.ailtire.definition;

import java.util.List;

/** A definition that loaded, with the warnings (unsupported or ignored keys) found on the way. */
public record LoadedDefinition(StackDefinition definition, List<Problem> warnings) {
    public LoadedDefinition {
        warnings = List.copyOf(warnings);
    }
}
