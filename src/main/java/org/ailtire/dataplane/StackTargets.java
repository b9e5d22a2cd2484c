package org.ailtire.dataplane;

import org.ailtire.gateway.RouteTarget;
import org.ailtire.gateway.StackRoutes;
import org.ailtire.stack.ChildRegistry;
import org.ailtire.swarm.topology.StackPlace;

import java.util.List;
import java.util.function.Supplier;

/**
 * Targets on the engine. A service by its key: the controller shares the stack's networks, where the engine's DNS
 * answers {@code tasks.<key>} with the addresses of the service's running tasks, which HAProxy asks again every
 * second (a task being replaced leaves that name before it is stopped, and serves its stop grace period). A child
 * stack by the host name its controller has on its parent network, once registered and reachable, on the child
 * controller's gateway port (its admin port is for control traffic only).
 */
public final class StackTargets implements TargetResolver {
    /** Server slots per service: the tasks HAProxy can send a service's requests to at once. */
    static final int TASK_SLOTS = 16;

    private final Supplier<StackRoutes> definition;
    private final ChildRegistry children;
    private final int childGatewayPort;

    public StackTargets(Supplier<StackRoutes> definition, ChildRegistry children, int childGatewayPort) {
        this.definition = definition;
        this.children = children;
        this.childGatewayPort = childGatewayPort;
    }

    @Override
    public RouteBackend.Target resolve(RouteTarget target) {
        StackRoutes stack = definition.get();
        if (target.childStack()) {
            if (!stack.childStacks().contains(target.service())) {
                return new RouteBackend.Unavailable(503, "child stack " + target.service()
                        + " is not part of this stack's definition");
            }
            var child = children.find(target.service());
            if (child.isEmpty()) {
                return new RouteBackend.Unavailable(503, "child stack " + target.service() + " is not registered (yet)");
            }
            if (!child.get().reachable()) {
                return new RouteBackend.Unavailable(503, "child stack " + target.service() + " is unreachable: "
                        + child.get().status().message());
            }
            return new RouteBackend.Servers(List.of(new RouteBackend.Server("controller",
                    StackPlace.hostName(target.service()), childGatewayPort)));
        }
        if (!stack.services().contains(target.service())) {
            return new RouteBackend.Unavailable(502, "service " + target.service()
                    + " is not part of this stack's definition");
        }
        return new RouteBackend.Dns("tasks." + target.service(), target.port(), TASK_SLOTS);
    }
}
