package org.ailtire.definition;

import java.util.List;

/**
 * A definition refused for its size rather than its content: larger than {@link DefinitionLoader#MAX_DEFINITION_BYTES},
 * or expanding (aliases, interpolation) to more than {@link DefinitionLoader#MAX_EXPANDED_CHARS}. The API answers 413.
 */
public final class DefinitionTooLargeException extends DefinitionException {
    DefinitionTooLargeException(String path, String message) {
        super(List.of(Problem.error(path, message)));
    }
}
