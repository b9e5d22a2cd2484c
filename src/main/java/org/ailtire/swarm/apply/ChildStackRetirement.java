package org.ailtire.swarm.apply;

import java.util.concurrent.CompletableFuture;

/**
 * What an apply asks of the stack when the new definition drops a child stack, whose controller is a service of
 * this stack: before that service is removed, the child is asked to shut down (bottom-up, its own children first);
 * once nothing of it is left on the engine, the stack forgets it.
 */
public interface ChildStackRetirement {
    /** Nobody to ask: a dropped child's objects are removed by their labels. */
    ChildStackRetirement NONE = new ChildStackRetirement() {
        @Override
        public CompletableFuture<Confirmation> shutDown(String key) {
            return CompletableFuture.completedFuture(new Confirmation(false, "this stack has no child commands"));
        }

        @Override
        public void removed(String key) {
        }
    };

    /** Whether the child confirmed its shutdown, or why not. */
    record Confirmation(boolean confirmed, String why) {
    }

    /**
     * Asks the child stack running as service {@code key} to shut down and completes once it did or a bound passed
     * (never exceptionally).
     */
    CompletableFuture<Confirmation> shutDown(String key);

    /** Nothing of the child stack {@code key} is left on the engine: forget it (status, routes). */
    void removed(String key);
}
