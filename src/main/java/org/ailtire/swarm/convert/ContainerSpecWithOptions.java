package org.ailtire.swarm.convert;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.github.dockerjava.api.model.ContainerSpec;
import com.github.dockerjava.api.model.Ulimit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * docker-java 3.7.1's {@link ContainerSpec} lacks the Engine API's {@code CapabilityAdd}, {@code CapabilityDrop},
 * {@code Ulimits} (API 1.41), {@code Sysctls} (1.40) and {@code Isolation}; this subclass adds them. Unset fields
 * are null and left out, so a service without them has the same JSON (and spec hash) as before.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ContainerSpecWithOptions extends ContainerSpec {
    private static final long serialVersionUID = 1L;

    @JsonProperty("CapabilityAdd")
    private ArrayList<String> capabilityAdd;
    @JsonProperty("CapabilityDrop")
    private ArrayList<String> capabilityDrop;
    @JsonProperty("Sysctls")
    private LinkedHashMap<String, String> sysctls;
    @JsonProperty("Ulimits")
    private ArrayList<Ulimit> ulimits;
    @JsonProperty("Isolation")
    private String isolation;

    public ContainerSpecWithOptions withCapabilities(List<String> add, List<String> drop) {
        this.capabilityAdd = add == null || add.isEmpty() ? null : new ArrayList<>(add);
        this.capabilityDrop = drop == null || drop.isEmpty() ? null : new ArrayList<>(drop);
        return this;
    }

    public ContainerSpecWithOptions withSysctls(Map<String, String> sysctls) {
        this.sysctls = sysctls == null || sysctls.isEmpty() ? null : new LinkedHashMap<>(sysctls);
        return this;
    }

    public ContainerSpecWithOptions withUlimits(List<Ulimit> ulimits) {
        this.ulimits = ulimits == null || ulimits.isEmpty() ? null : new ArrayList<>(ulimits);
        return this;
    }

    public ContainerSpecWithOptions withIsolation(String isolation) {
        this.isolation = isolation;
        return this;
    }

    public List<String> getCapabilityAdd() {
        return capabilityAdd;
    }

    public List<String> getCapabilityDrop() {
        return capabilityDrop;
    }

    public Map<String, String> getSysctls() {
        return sysctls;
    }

    public List<Ulimit> getUlimits() {
        return ulimits;
    }

    public String getIsolation() {
        return isolation;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ContainerSpecWithOptions other && super.equals(other)
                && Objects.equals(capabilityAdd, other.capabilityAdd) && Objects.equals(capabilityDrop, other.capabilityDrop)
                && Objects.equals(sysctls, other.sysctls) && Objects.equals(ulimits, other.ulimits)
                && Objects.equals(isolation, other.isolation);
    }

    @Override
    protected boolean canEqual(Object other) {
        return other instanceof ContainerSpecWithOptions;
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), capabilityAdd, capabilityDrop, sysctls, ulimits, isolation);
    }

    @Override
    public String toString() {
        return super.toString() + "(capabilityAdd=" + capabilityAdd + ", capabilityDrop=" + capabilityDrop
                + ", sysctls=" + sysctls + ", ulimits=" + ulimits + ", isolation=" + isolation + ")";
    }
}
