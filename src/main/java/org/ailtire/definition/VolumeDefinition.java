package org.ailtire.definition;

import java.util.Map;

/** A top-level named volume; created on each node by the engine when a task mounts it. */
public record VolumeDefinition(String driver, Map<String, String> driverOpts, boolean external, String name,
                               Map<String, String> labels) {
    public VolumeDefinition {
        driverOpts = Ordered.map(driverOpts);
        labels = Ordered.map(labels);
    }
}
