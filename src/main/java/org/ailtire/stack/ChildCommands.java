package org.ailtire.stack;

import java.util.concurrent.CompletableFuture;

/** What a stack asks of its registered child stacks' controllers. */
public interface ChildCommands {
    /** Asks the child to shut down; completes once it has (or fails when it could not). */
    CompletableFuture<Void> shutdown(Registration child);
}
