package org.ailtire.protocol;

import org.ailtire.stack.ChildCommands;
import org.ailtire.stack.Registration;
import org.ailtire.stack.StackToken;
import org.ailtire.stack.Status;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Asks child controllers over the control-plane API: {@code POST /api/v1/shutdown}, then waits until the child
 * reports {@code STOPPED} on {@code GET /api/v1/status} (or stops answering, which also means it is gone).
 */
public final class HttpChildCommands implements ChildCommands {
    private final StackToken token;
    private final Duration pollEvery;
    // One pool for all children, kept for the controller's life.
    private final ControlPlaneConnections connections =
            new ControlPlaneConnections("parent stack", Duration.ofSeconds(5), Duration.ofSeconds(10));

    /** @param token this stack's token; each child is called with the one derived for it */
    public HttpChildCommands(StackToken token, Duration pollEvery) {
        this.token = token;
        this.pollEvery = pollEvery;
    }

    @Override
    public CompletableFuture<Void> shutdown(Registration child) {
        ControlPlaneClient client = connections.to(URI.create(child.url()), token.child(child.name()).value());
        return client.shutdownAsync()
                .exceptionallyCompose(failure -> CompletableFuture.failedFuture(
                        ControlPlaneClient.unwrap(failure) instanceof ControlPlaneException refused
                                ? refused(child, refused.status()) : ControlPlaneClient.unwrap(failure)))
                .thenCompose(accepted -> untilStopped(client));
    }

    private static IllegalStateException refused(Registration child, int status) {
        return new IllegalStateException("child " + child.name() + " refused to shut down: HTTP " + status
                + (status == 401 ? " (it refuses the token derived for it: a controller from before per-stack "
                + "tokens? updating this stack rolls it)" : ""));
    }

    private CompletableFuture<Void> untilStopped(ControlPlaneClient child) {
        return child.statusAsync()
                .handle((status, failure) -> {
                    if (failure != null && ControlPlaneClient.unwrap(failure) instanceof ControllerUnreachableException) {
                        return CompletableFuture.<Void>completedFuture(null);
                    }
                    if (failure == null && status.state() == Status.State.STOPPED) {
                        return CompletableFuture.<Void>completedFuture(null);
                    }
                    return CompletableFuture.<Void>supplyAsync(() -> null,
                                    CompletableFuture.delayedExecutor(pollEvery.toMillis(), TimeUnit.MILLISECONDS))
                            .thenCompose(ignored -> untilStopped(child));
                })
                .thenCompose(next -> next);
    }
}
