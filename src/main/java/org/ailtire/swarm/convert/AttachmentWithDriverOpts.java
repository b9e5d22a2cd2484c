package org.ailtire.swarm.convert;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.github.dockerjava.api.model.NetworkAttachmentConfig;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * docker-java 3.7.1's {@link NetworkAttachmentConfig} lacks the Engine API's {@code DriverOpts} (a service's
 * {@code networks.<name>.driver_opts}); this subclass adds it, like {@link PlacementWithPreferences}.
 */
public class AttachmentWithDriverOpts extends NetworkAttachmentConfig {
    private static final long serialVersionUID = 1L;

    @JsonProperty("DriverOpts")
    private final LinkedHashMap<String, String> driverOpts;

    public AttachmentWithDriverOpts(Map<String, String> driverOpts) {
        this.driverOpts = new LinkedHashMap<>(driverOpts);
    }

    public Map<String, String> getDriverOpts() {
        return driverOpts;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AttachmentWithDriverOpts other && super.equals(other) && driverOpts.equals(other.driverOpts);
    }

    @Override
    protected boolean canEqual(Object other) {
        return other instanceof AttachmentWithDriverOpts;
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), driverOpts);
    }

    @Override
    public String toString() {
        return super.toString() + "(driverOpts=" + driverOpts + ")";
    }
}
