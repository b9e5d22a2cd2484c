package org.ailtire.swarm.convert;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.github.dockerjava.api.model.ResourceSpecs;

import java.util.Objects;

/**
 * docker-java 3.7.1's {@link ResourceSpecs} lacks the Engine API's {@code Pids} limit (API 1.41+); this subclass adds
 * it. Only limits have it: swarm cannot reserve process ids.
 */
public class LimitsWithPids extends ResourceSpecs {
    private static final long serialVersionUID = 1L;

    @JsonProperty("Pids")
    private final long pids;

    public LimitsWithPids(long pids) {
        this.pids = pids;
    }

    public long getPids() {
        return pids;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LimitsWithPids other && super.equals(other) && pids == other.pids;
    }

    @Override
    protected boolean canEqual(Object other) {
        return other instanceof LimitsWithPids;
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), pids);
    }

    @Override
    public String toString() {
        return super.toString() + "(pids=" + pids + ")";
    }
}
