package org.ailtire.gateway;

import io.vertx.core.Vertx;

/**
 * A WebSocket echo server for the image {@link WebSocketEchoImage} builds: answers every text message with
 * {@code echo <path>: <message>} (the path it was reached at, to show what the gateways passed on) and plain
 * requests with 200 "ws echo".
 *
 * <p>Usage: {@code WebSocketEcho <port>}.
 */
public final class WebSocketEcho {
    private WebSocketEcho() {
    }

    public static void main(String[] args) {
        int port = Integer.parseInt(args[0]);
        Vertx.vertx().createHttpServer()
                .webSocketHandler(ws -> ws.textMessageHandler(text -> ws.writeTextMessage("echo " + ws.path() + ": " + text)))
                .requestHandler(request -> request.response().end("ws echo\n"))
                .listen(port)
                .onSuccess(server -> System.out.println("ws echo listening on " + server.actualPort()))
                .onFailure(failure -> {
                    failure.printStackTrace();
                    System.exit(1);
                });
    }
}
