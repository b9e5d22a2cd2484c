package org.ailtire.swarm.convert;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.github.dockerjava.api.model.ResourceSpecs;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** docker-java 3.7.1's {@link ResourceSpecs} lacks the Engine API's {@code GenericResources}; this subclass adds them. */
public class ReservationsWithGenericResources extends ResourceSpecs {
    private static final long serialVersionUID = 1L;

    @JsonProperty("GenericResources")
    private final ArrayList<GenericResource> genericResources;

    public ReservationsWithGenericResources(List<GenericResource> genericResources) {
        this.genericResources = new ArrayList<>(genericResources);
    }

    public List<GenericResource> getGenericResources() {
        return genericResources;
    }

    /** {@code {"DiscreteResourceSpec": {"Kind": "GPU", "Value": 2}}} */
    public record GenericResource(@JsonProperty("DiscreteResourceSpec") Discrete discreteResourceSpec)
            implements Serializable {
        public static GenericResource discrete(String kind, long value) {
            return new GenericResource(new Discrete(kind, value));
        }
    }

    public record Discrete(@JsonProperty("Kind") String kind, @JsonProperty("Value") long value) implements Serializable {
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ReservationsWithGenericResources other && super.equals(other)
                && genericResources.equals(other.genericResources);
    }

    @Override
    protected boolean canEqual(Object other) {
        return other instanceof ReservationsWithGenericResources;
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), genericResources);
    }

    @Override
    public String toString() {
        return super.toString() + "(genericResources=" + genericResources + ")";
    }
}
