package org.ailtire.stack;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Asks child controllers over the control-plane API: {@code POST /api/v1/shutdown}, then waits until the child
 * reports {@code STOPPED} on {@code GET /api/v1/status} (or stops answering, which also means it is gone).
 */
public final class HttpChildCommands implements ChildCommands {
    private final StackToken token;
    private final Duration pollEvery;
    // Kept in a field: the client owns its connection pool.
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

    /** @param token this stack's token; each child is called with the one derived for it */
    public HttpChildCommands(StackToken token, Duration pollEvery) {
        this.token = token;
        this.pollEvery = pollEvery;
    }

    @Override
    public CompletableFuture<Void> shutdown(Registration child) {
        return http.sendAsync(request(child, "/api/v1/shutdown").POST(HttpRequest.BodyPublishers.noBody()).build(),
                        HttpResponse.BodyHandlers.discarding())
                .thenCompose(response -> {
                    if (response.statusCode() / 100 != 2) {
                        return CompletableFuture.failedFuture(new IllegalStateException(
                                "child " + child.name() + " refused to shut down: HTTP " + response.statusCode()
                                        + (response.statusCode() == 401 ? " (it refuses the token derived for it: a "
                                        + "controller from before per-stack tokens? updating this stack rolls it)" : "")));
                    }
                    return untilStopped(child);
                });
    }

    private CompletableFuture<Void> untilStopped(Registration child) {
        return http.sendAsync(request(child, "/api/v1/status").GET().build(), HttpResponse.BodyHandlers.ofString())
                .handle((response, failure) -> {
                    if (failure != null) {
                        return CompletableFuture.<Void>completedFuture(null);
                    }
                    if (response.statusCode() == 200 && stopped(response.body())) {
                        return CompletableFuture.<Void>completedFuture(null);
                    }
                    return CompletableFuture.<Void>supplyAsync(() -> null,
                                    CompletableFuture.delayedExecutor(pollEvery.toMillis(),
                                            java.util.concurrent.TimeUnit.MILLISECONDS))
                            .thenCompose(ignored -> untilStopped(child));
                })
                .thenCompose(next -> next);
    }

    private static boolean stopped(String body) {
        try {
            return Json.MAPPER.readValue(body, Status.class).state() == Status.State.STOPPED;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private HttpRequest.Builder request(Registration child, String path) {
        return HttpRequest.newBuilder(URI.create(child.url() + path))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + token.child(child.name()).value())
                .header("X-Ailtire-Actor", "parent stack");
    }
}
