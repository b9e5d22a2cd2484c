package org.ailtire.swarm.stack;

import org.ailtire.stack.ChildShutdowns;
import org.ailtire.stack.Registration;
import org.ailtire.swarm.apply.ChildStackRetirement;
import org.ailtire.swarm.topology.StackPlace;

import java.util.concurrent.CompletableFuture;

/**
 * Retires the child stacks an update drops, through the same shutdown a stack's own shutdown asks of its children.
 * A child not registered (yet) is asked at the address its controller has on its parent network: a parent whose
 * controller restarted with the new definition applies it before its children have registered again, and is no
 * longer on that network, which it joins for the time of the shutdown.
 */
final class DroppedChildren implements ChildStackRetirement {
    /** How this controller gets onto a child's parent network; returns what gets it off again. */
    @FunctionalInterface
    interface NetworkJoin {
        Runnable join(String key);
    }

    /**
     * What follows a dropped child's shutdown: for an original child stack, the end of its tree (its service removed,
     * its namespaces awaited and swept, see {@link OriginalChildEngine#retire}); nothing for ours.
     */
    @FunctionalInterface
    interface AfterShutdown {
        void retire(String key) throws Exception;
    }

    private final ChildShutdowns shutdowns;
    private final int controllerPort;
    private final NetworkJoin network;
    private final AfterShutdown afterShutdown;

    /** @param controllerPort the port child controllers serve their control plane on */
    DroppedChildren(ChildShutdowns shutdowns, int controllerPort, NetworkJoin network) {
        this(shutdowns, controllerPort, network, key -> { });
    }

    DroppedChildren(ChildShutdowns shutdowns, int controllerPort, NetworkJoin network, AfterShutdown afterShutdown) {
        this.shutdowns = shutdowns;
        this.controllerPort = controllerPort;
        this.network = network;
        this.afterShutdown = afterShutdown;
    }

    @Override
    public CompletableFuture<Confirmation> shutDown(String key) {
        Registration child = shutdowns.registered(key).orElseGet(() ->
                new Registration(key, StackPlace.controllerUrl(key, controllerPort), key));
        Runnable leave = network.join(key);
        return shutdowns.ask(child).whenComplete((outcome, never) -> leave.run())
                .thenApplyAsync(outcome -> {
                    try {
                        afterShutdown.retire(key);
                    } catch (Exception e) {
                        return new Confirmation(false, "after its shutdown: " + e.getMessage());
                    }
                    return new Confirmation(outcome.confirmed(), outcome.why());
                }, command -> Thread.ofVirtual().start(command));
    }

    @Override
    public void removed(String key) {
        shutdowns.forget(key);
    }
}
