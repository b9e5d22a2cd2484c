package org.ailtire.swarm.convert;

import org.ailtire.definition.Problem;

import java.util.List;

/** The engine objects of a stack, and what the conversion had to decide for the user (warnings only). */
public record Conversion(StackResources resources, List<Problem> warnings) {
    public Conversion {
        warnings = List.copyOf(warnings);
    }
}
