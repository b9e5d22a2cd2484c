package org.ailtire.swarm.stack;

import org.ailtire.gateway.StackRoutes;

import java.util.Optional;
import java.util.function.Supplier;

/**
 * The routes a stack's gateway serves, as updates change them: an update switches to its definition's routes when
 * it starts (a dropped child's prefix stops being routed at once, a new service's is there as it comes up), and a
 * failed update, which the engine rolls back, switches back to the routes of the definition that runs again.
 */
final class UpdateRoutes {
    /** The engine part of an update. */
    @FunctionalInterface
    interface Work {
        void run() throws Exception;
    }

    private volatile StackRoutes current = StackRoutes.NONE;

    StackRoutes current() {
        return current;
    }

    /**
     * Serves {@code next} while {@code update} runs and after it succeeded. When it fails, serves the routes of the
     * definition the stack runs again: {@code restored} (the version applied last), else those served before.
     */
    void during(StackRoutes next, Supplier<Optional<StackRoutes>> restored, Work update) throws Exception {
        StackRoutes before = current;
        current = next;
        try {
            update.run();
        } catch (Exception | Error e) {
            Optional<StackRoutes> previous;
            try {
                previous = restored.get();
            } catch (RuntimeException unreadable) {
                previous = Optional.empty();
            }
            current = previous.orElse(before);
            throw e;
        }
    }
}
