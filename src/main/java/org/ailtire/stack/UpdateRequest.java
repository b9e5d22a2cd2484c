package org.ailtire.stack;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A new definition for a running stack (the spec's {@code update(parameters, environment, definition)}).
 *
 * @param definition the Compose YAML text
 */
public record UpdateRequest(List<String> parameters, Map<String, String> environment, String definition) {
    public UpdateRequest {
        parameters = parameters == null ? List.of() : List.copyOf(parameters);
        environment = environment == null ? Map.of() : Map.copyOf(environment);
        Objects.requireNonNull(definition, "definition");
    }
}
