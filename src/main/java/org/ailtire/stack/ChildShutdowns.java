package org.ailtire.stack;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Asks child stacks to shut down, each within a bound: a stack's own shutdown asks every registered child (each
 * shuts its own children down first, so the tree goes bottom-up), and an update whose definition dropped a child
 * asks that one, then {@linkplain #forget forgets} it once its objects are gone.
 */
public final class ChildShutdowns {
    private static final Logger LOG = LoggerFactory.getLogger(ChildShutdowns.class);

    /** How a child's shutdown ended: confirmed, or why not (it may be unreachable or gone already). */
    public record Outcome(String child, boolean confirmed, String why) {
        static Outcome confirmed(String child) {
            return new Outcome(child, true, "");
        }
    }

    private final ChildRegistry children;
    private final ChildCommands commands;
    private final Duration timeout;

    public ChildShutdowns(ChildRegistry children, ChildCommands commands, Duration timeout) {
        this.children = children;
        this.commands = commands;
        this.timeout = timeout;
    }

    /** How long a child is given to confirm its shutdown. */
    public Duration timeout() {
        return timeout;
    }

    /** The child's registration, when it is registered. */
    public Optional<Registration> registered(String name) {
        return children.find(name).map(ChildRegistry.Child::registration);
    }

    /**
     * Asks the child to shut down and waits until it confirms, at most {@link #timeout()}. The future never fails:
     * a child that refuses, cannot be reached or stays silent completes with {@code confirmed == false}.
     */
    public CompletableFuture<Outcome> ask(Registration child) {
        CompletableFuture<Void> asked;
        try {
            asked = commands.shutdown(child);
        } catch (RuntimeException e) {
            asked = CompletableFuture.failedFuture(e);
        }
        return asked.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .handle((done, failure) -> {
                    if (failure == null) {
                        return Outcome.confirmed(child.name());
                    }
                    Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                            ? failure.getCause() : failure;
                    String why = cause instanceof java.util.concurrent.TimeoutException
                            ? "no confirmation within " + (timeout.toSeconds() > 0
                            ? timeout.toSeconds() + "s" : timeout.toMillis() + "ms")
                            : String.valueOf(cause.getMessage() == null ? cause : cause.getMessage());
                    LOG.warn("child stack {} did not confirm its shutdown: {}", child.name(), why);
                    return new Outcome(child.name(), false, why);
                });
    }

    /**
     * Forgets a child stack that is gone: the status no longer lists it and the gateway no longer routes to it.
     *
     * @return false when it was not registered
     */
    public boolean forget(String name) {
        return children.remove(name);
    }
}
