package org.ailtire.swarm.convert;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.github.dockerjava.api.model.ContainerSpecPrivilegesCredential;

import java.util.Objects;

/**
 * docker-java 3.7.1's credential spec lacks the Engine API's {@code Config} (API 1.40): the id of a config the service
 * also references as a runtime config. The converter puts the config's engine name here; the applier swaps in its id
 * as it does for the service's other config references.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class CredentialSpecWithConfig extends ContainerSpecPrivilegesCredential {
    private static final long serialVersionUID = 1L;

    @JsonProperty("Config")
    private String config;

    public CredentialSpecWithConfig(String config) {
        this.config = config;
    }

    public String getConfig() {
        return config;
    }

    public void setConfig(String config) {
        this.config = config;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CredentialSpecWithConfig other && super.equals(other) && Objects.equals(config, other.config);
    }

    @Override
    protected boolean canEqual(Object other) {
        return other instanceof CredentialSpecWithConfig;
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), config);
    }

    @Override
    public String toString() {
        return super.toString() + "(config=" + config + ")";
    }
}
