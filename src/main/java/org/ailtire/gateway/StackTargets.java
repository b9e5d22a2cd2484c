package org.ailtire.gateway;

import org.ailtire.stack.ChildRegistry;
import org.ailtire.swarm.topology.StackPlace;

import java.util.function.Supplier;

/**
 * Targets on the engine: a service by its key (the controller shares the stack's networks, where the key is a DNS
 * name) and a child stack by the host name its controller has on its parent network, once registered and reachable,
 * on the child controller's gateway port (its admin port is for control traffic only).
 */
public final class StackTargets implements TargetResolver {
    private final Supplier<StackRoutes> definition;
    private final ChildRegistry children;
    private final int childGatewayPort;

    public StackTargets(Supplier<StackRoutes> definition, ChildRegistry children, int childGatewayPort) {
        this.definition = definition;
        this.children = children;
        this.childGatewayPort = childGatewayPort;
    }

    @Override
    public Address resolve(RouteTarget target) throws Unavailable {
        StackRoutes stack = definition.get();
        if (target.childStack()) {
            if (!stack.childStacks().contains(target.service())) {
                throw new Unavailable(503, "child stack " + target.service() + " is not part of this stack's definition");
            }
            var child = children.find(target.service())
                    .orElseThrow(() -> new Unavailable(503, "child stack " + target.service() + " is not registered (yet)"));
            if (!child.reachable()) {
                throw new Unavailable(503, "child stack " + target.service() + " is unreachable: "
                        + child.status().message());
            }
            return new Address(StackPlace.hostName(target.service()), childGatewayPort);
        }
        if (!stack.services().contains(target.service())) {
            throw new Unavailable(502, "service " + target.service() + " is not part of this stack's definition");
        }
        return new Address(target.service(), target.port());
    }
}
