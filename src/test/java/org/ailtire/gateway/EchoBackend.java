package org.ailtire.gateway;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;

import java.util.concurrent.CompletableFuture;

/**
 * A real backend for gateway tests: {@code /stream} sends "first", then "second" only once {@link #releaseStream()}
 * is called; {@code /slow} never answers; WebSocket upgrades echo every message; anything else answers JSON
 * describing the request it saw.
 */
final class EchoBackend implements AutoCloseable {
    private final HttpServer server;
    private final int port;
    private final CompletableFuture<Void> streamReleased = new CompletableFuture<>();
    volatile String lastWebSocketPath;

    EchoBackend(Vertx vertx) {
        server = vertx.createHttpServer()
                .webSocketHandler(ws -> {
                    lastWebSocketPath = ws.path();
                    ws.textMessageHandler(text -> ws.writeTextMessage("echo: " + text));
                })
                .requestHandler(this::handle);
        port = server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().join().actualPort();
    }

    int port() {
        return port;
    }

    void releaseStream() {
        streamReleased.complete(null);
    }

    private void handle(HttpServerRequest request) {
        switch (request.path()) {
            case "/stream" -> {
                request.response().setChunked(true).putHeader("Content-Type", "text/plain").write("first\n");
                streamReleased.thenRun(() -> request.response().end("second\n"));
            }
            case "/slow" -> {
                // never answers
            }
            case "/shop/connection-named" -> request.response().putHeader("Connection", "keep-alive, X-Internal")
                    .putHeader("X-Internal", "for the gateway only").putHeader("X-Public", "yes").end("named\n");
            default -> request.body().onSuccess(body -> {
                JsonObject headers = new JsonObject();
                request.headers().forEach(h -> headers.put(h.getKey().toLowerCase(java.util.Locale.ROOT), h.getValue()));
                request.response().putHeader("Content-Type", "application/json").end(new JsonObject()
                        .put("method", request.method().name()).put("uri", request.uri())
                        .put("body", body.toString()).put("headers", headers).encode());
            });
        }
    }

    @Override
    public void close() {
        server.close().toCompletionStage().toCompletableFuture().join();
    }
}
