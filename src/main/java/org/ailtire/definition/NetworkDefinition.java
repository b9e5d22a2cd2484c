package org.ailtire.definition;

import java.util.Map;

/**
 * A top-level network. {@code name} is the engine name when set (external networks are looked up by it);
 * otherwise the converter names it {@code <namespace>_<key>}.
 */
public record NetworkDefinition(String driver, Map<String, String> driverOpts, boolean attachable,
                                boolean internal, boolean external, String name, Map<String, String> labels) {
    public static final NetworkDefinition DEFAULT = new NetworkDefinition(null, Map.of(), false, false, false, null, Map.of());

    public NetworkDefinition {
        driverOpts = Ordered.map(driverOpts);
        labels = Ordered.map(labels);
    }
}
