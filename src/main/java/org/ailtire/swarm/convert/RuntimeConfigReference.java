package org.ailtire.swarm.convert;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.github.dockerjava.api.model.ContainerSpecConfig;

import java.io.Serializable;

/**
 * A config the engine hands to the runtime instead of mounting it as a file ({@code "Runtime": {}}), as a credential
 * spec's config is; docker-java 3.7.1's {@link ContainerSpecConfig} has only the file target.
 */
public class RuntimeConfigReference extends ContainerSpecConfig {
    private static final long serialVersionUID = 1L;

    @JsonProperty("Runtime")
    private final RuntimeTarget runtime = new RuntimeTarget();

    public RuntimeConfigReference(String configName) {
        withConfigName(configName);
    }

    /** Serialized as {@code {}}. */
    public record RuntimeTarget() implements Serializable {
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RuntimeConfigReference && super.equals(o);
    }

    @Override
    protected boolean canEqual(Object other) {
        return other instanceof RuntimeConfigReference;
    }

    @Override
    public int hashCode() {
        return super.hashCode() * 31 + 1;
    }
}
