package org.ailtire.definition;

import java.util.Set;

/** The names declared at the top level, which services may refer to. */
record StackNames(Set<String> networks, Set<String> volumes, Set<String> configs, Set<String> secrets) {
    static final String DEFAULT_NETWORK = "default";

    StackNames {
        networks = Set.copyOf(networks);
        volumes = Set.copyOf(volumes);
        configs = Set.copyOf(configs);
        secrets = Set.copyOf(secrets);
    }
}
