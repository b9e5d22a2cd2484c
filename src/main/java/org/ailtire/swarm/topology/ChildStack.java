package org.ailtire.swarm.topology;

import org.ailtire.definition.DefinitionFiles;
import org.ailtire.definition.StackDefinition;

import java.util.Map;

/**
 * A service of a definition that is itself a stack ({@code x-ailtire: {stack: ...}}).
 *
 * @param key         the service's key in the parent's definition
 * @param place       where the child sits in the tree
 * @param definition  the child's own definition, as text, handed to its controller (not interpolated by the parent)
 * @param environment what the child interpolates its definition with (the service's {@code environment})
 * @param loaded      the child's definition as loaded here, so the parent knows its networks and grandchildren
 * @param files       the files the child's tree names, the child's own at {@code ""} (handed to it as a secret)
 */
public record ChildStack(String key, StackPlace place, String definition, Map<String, String> environment,
                         StackDefinition loaded, DefinitionFiles files) {
    public ChildStack {
        environment = Map.copyOf(environment);
        files = files == null ? DefinitionFiles.NONE : files;
    }

    public ChildStack(String key, StackPlace place, String definition, Map<String, String> environment,
                      StackDefinition loaded) {
        this(key, place, definition, environment, loaded, DefinitionFiles.NONE);
    }
}
