package org.ailtire.api;

import io.vertx.core.Vertx;
import org.ailtire.stack.FakeStack;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The admin listener cuts incomplete requests, caps open connections and refuses the h2c upgrade (loopback only). */
class AdminListenerLimitsTest {
    private static final String HEALTH = "GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n";
    private Vertx vertx;
    private AdminServer server;
    private int port;
    private final List<Socket> sockets = new ArrayList<>();

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
        ServerSettings settings = new ServerSettings("127.0.0.1", 0, "t", ServerSettings.ONE_MIB, 2,
                Duration.ofMillis(200)).withConnectionLimits(Duration.ofMillis(500), Duration.ofSeconds(30), 3)
                .withBodyTimeout(Duration.ofMillis(800));
        server = new AdminServer(vertx, FakeStack.simple("top"), settings);
        port = server.start().join();
    }

    @AfterEach
    void stop() throws IOException {
        for (Socket socket : sockets) {
            socket.close();
        }
        server.close();
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    @Test
    void anIncompleteRequestHeadIsCutAfterTheHeaderTimeout() throws IOException {
        Socket socket = connect();
        socket.getOutputStream().write(HEALTH.getBytes(StandardCharsets.US_ASCII));
        assertThat(readAll(socket)).isEmpty();
    }

    @Test
    void aRequestHeadTrickledByteByByteIsCutToo() throws Exception {
        Socket socket = connect();
        OutputStream out = socket.getOutputStream();
        byte[] head = (HEALTH + "X-Slow: " + "x".repeat(100) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        boolean cut = false;
        for (byte b : head) {
            try {
                out.write(b);
                out.flush();
            } catch (IOException closed) {
                cut = true;
                break;
            }
            Thread.sleep(20);
            if (socket.getInputStream().available() > 0) {
                break;
            }
        }
        assertThat(cut || readAll(socket).isEmpty()).as("cut before the head was complete").isTrue();
    }

    @Test
    void aCompleteRequestIsServedAndItsConnectionKeptAlivePastTheHeaderTimeout() throws Exception {
        Socket socket = connect();
        socket.getOutputStream().write((HEALTH + "\r\n").getBytes(StandardCharsets.US_ASCII));
        assertThat(readHead(socket)).startsWith("HTTP/1.1 200");
        Thread.sleep(1000);
        socket.getOutputStream().write((HEALTH + "\r\n").getBytes(StandardCharsets.US_ASCII));
        assertThat(readHead(socket)).startsWith("HTTP/1.1 200");
    }

    @Test
    void aLaterRequestHeadOnAKeptAliveConnectionIsCutAfterTheHeaderTimeoutToo() throws IOException {
        Socket socket = connect();
        socket.getOutputStream().write((HEALTH + "\r\n").getBytes(StandardCharsets.US_ASCII));
        assertThat(readHead(socket)).startsWith("HTTP/1.1 200");
        socket.getOutputStream().write(HEALTH.getBytes(StandardCharsets.US_ASCII));
        assertThat(readAll(socket)).as("closed long before the idle timeout, unanswered").isEmpty();
    }

    @Test
    void aBodyNotCompleteWithinTheBodyTimeoutIsAnswered408AndItsConnectionClosed() throws IOException {
        Socket socket = connect();
        socket.getOutputStream().write(("POST /api/v1/update/preview HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Authorization: Bearer t\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n"
                + "{\"definition\": ").getBytes(StandardCharsets.US_ASCII));
        String answer = readAll(socket);
        assertThat(answer).startsWith("HTTP/1.1 408")
                .contains("\"error\":\"the request body was not complete within 800 ms\"", "\"details\":[]");
    }

    @Test
    void aConnectionBeyondTheCapIsClosedAtOnce() throws IOException {
        for (int i = 0; i < 3; i++) {
            Socket open = connect();
            open.getOutputStream().write((HEALTH + "\r\n").getBytes(StandardCharsets.US_ASCII));
            assertThat(readHead(open)).startsWith("HTTP/1.1 200");
        }
        Socket beyond = connect();
        beyond.setSoTimeout(400);
        try {
            beyond.getOutputStream().write((HEALTH + "\r\n").getBytes(StandardCharsets.US_ASCII));
        } catch (IOException closed) {
            return;
        }
        assertThat(readAll(beyond)).isEmpty();
    }

    @Test
    void theH2cUpgradeIsNotOffered() throws IOException {
        Socket socket = connect();
        socket.getOutputStream().write((HEALTH + "Connection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\n"
                + "HTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        assertThat(readHead(socket)).startsWith("HTTP/1.1 200");
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
        sockets.add(socket);
        // Longer than the header timeout: a read that times out means the server held the connection.
        socket.setSoTimeout(5000);
        return socket;
    }

    /** Everything until the server closes; a timeout (the server still holds the connection) fails the test. */
    private static String readAll(Socket socket) throws IOException {
        return new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
    }

    /** One response's head and body (the health answer is small and sent with a length). */
    private static String readHead(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        StringBuilder text = new StringBuilder();
        int contentLength = -1;
        while (true) {
            int c = in.read();
            if (c < 0) {
                return text.toString();
            }
            text.append((char) c);
            if (text.toString().endsWith("\r\n\r\n")) {
                for (String line : text.toString().split("\r\n")) {
                    if (line.toLowerCase().startsWith("content-length:")) {
                        contentLength = Integer.parseInt(line.substring(15).trim());
                    }
                }
                break;
            }
        }
        if (contentLength > 0) {
            text.append(new String(in.readNBytes(contentLength), StandardCharsets.US_ASCII));
        }
        return text.toString();
    }
}
