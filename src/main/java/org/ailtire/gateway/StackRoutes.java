package org.ailtire.gateway;

import java.util.List;
import java.util.Set;

/**
 * What the current definition of a stack says about routing: its declared routes, the keys of its ordinary
 * services and of its child stacks (the only targets a runtime route may name).
 */
public record StackRoutes(List<Route> declared, Set<String> services, Set<String> childStacks) {
    public static final StackRoutes NONE = new StackRoutes(List.of(), Set.of(), Set.of());

    public StackRoutes {
        declared = List.copyOf(declared);
        services = Set.copyOf(services);
        childStacks = Set.copyOf(childStacks);
    }
}
