package org.ailtire.definition;

import java.util.List;
import java.util.Map;

/**
 * A top-level network. {@code name} is the engine name when set (external networks are looked up by it);
 * otherwise the converter names it {@code <namespace>_<key>}.
 */
public record NetworkDefinition(String driver, Map<String, String> driverOpts, boolean attachable,
                                boolean internal, boolean external, String name, Map<String, String> labels, Ipam ipam) {
    public static final NetworkDefinition DEFAULT = new NetworkDefinition(null, Map.of(), false, false, false, null, Map.of());

    public NetworkDefinition {
        driverOpts = Ordered.map(driverOpts);
        labels = Ordered.map(labels);
        ipam = ipam == null ? Ipam.NONE : ipam;
    }

    public NetworkDefinition(String driver, Map<String, String> driverOpts, boolean attachable, boolean internal,
                             boolean external, String name, Map<String, String> labels) {
        this(driver, driverOpts, attachable, internal, external, name, labels, Ipam.NONE);
    }

    /** {@code ipam}: the IPAM driver (null: the engine's default) and the subnets, as docker stack deploy maps it. */
    public record Ipam(String driver, List<String> subnets) {
        public static final Ipam NONE = new Ipam(null, List.of());

        public Ipam {
            subnets = Ordered.list(subnets);
        }

        public boolean isSet() {
            return driver != null || !subnets.isEmpty();
        }
    }
}
