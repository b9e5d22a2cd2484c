package org.ailtire.gateway;

import org.ailtire.definition.RouteDeclaration;
import org.ailtire.definition.ServiceDefinition;
import org.ailtire.definition.StackDefinition;

import java.util.ArrayList;
import java.util.LinkedHashSet;
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

    /**
     * The routes a loaded (so already checked) definition declares: each route of an ordinary service, named
     * {@code <service>} (the first) and {@code <service>-<n>}, and one route per child stack at its path to the
     * child's controller, prefix stripped, named by its key.
     */
    public static StackRoutes declaredBy(StackDefinition definition) {
        List<Route> routes = new ArrayList<>();
        Set<String> services = new LinkedHashSet<>();
        Set<String> children = new LinkedHashSet<>();
        for (ServiceDefinition service : definition.services().values()) {
            String key = service.name();
            var child = service.ailtire().stack();
            if (child.isPresent()) {
                children.add(key);
                routes.add(new Route(key, child.get().path(), RouteTarget.childStack(key), "/", Route.Protocol.WS,
                        Route.Origin.DEFINITION));
                continue;
            }
            services.add(key);
            List<RouteDeclaration> declared = service.ailtire().routes();
            for (int i = 0; i < declared.size(); i++) {
                RouteDeclaration route = declared.get(i);
                routes.add(new Route(i == 0 ? key : key + "-" + i, route.path(), RouteTarget.service(key, route.port()),
                        route.rewrite(), Route.Protocol.of(route.protocol()), route.host(), Route.Origin.DEFINITION,
                        route.firewall()));
            }
        }
        return new StackRoutes(routes, services, children);
    }
}
