package org.ailtire.swarm.convert;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.github.dockerjava.api.model.ServicePlacement;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * docker-java 3.7.1's {@link ServicePlacement} lacks the Engine API's {@code Preferences}; this subclass adds it.
 * Jackson serializes the runtime type, so the field reaches the engine as long as nothing copies the spec through
 * docker-java's own classes (see {@code SpecReferences}). Reading a service back through docker-java drops it again:
 * compare preferences from the raw JSON.
 */
public class PlacementWithPreferences extends ServicePlacement {
    private static final long serialVersionUID = 1L;

    @JsonProperty("Preferences")
    private final ArrayList<Preference> preferences;

    public PlacementWithPreferences(List<Preference> preferences) {
        this.preferences = new ArrayList<>(preferences);
    }

    public List<Preference> getPreferences() {
        return preferences;
    }

    /** {@code {"Spread": {"SpreadDescriptor": "node.labels.zone"}}} */
    public record Preference(@JsonProperty("Spread") Spread spread) implements java.io.Serializable {
        public static Preference spread(String descriptor) {
            return new Preference(new Spread(descriptor));
        }
    }

    public record Spread(@JsonProperty("SpreadDescriptor") String spreadDescriptor) implements java.io.Serializable {
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PlacementWithPreferences other && super.equals(other) && preferences.equals(other.preferences);
    }

    @Override
    protected boolean canEqual(Object other) {
        return other instanceof PlacementWithPreferences;
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), preferences);
    }

    @Override
    public String toString() {
        return super.toString() + "(preferences=" + preferences + ")";
    }
}
