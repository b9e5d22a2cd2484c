package org.ailtire.dataplane;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * WebSocket echo throughput for bench/gateway/run.sh (not a test): {@code connections} WebSockets to
 * {@code ws://127.0.0.1:<port><path>}, each sending a 64-byte text message and the next one when the echo came back,
 * for {@code seconds} (after as long again of warm-up). Prints one line: {@code <messages/s> <p50 ms> <p99 ms>} of the
 * round trips; exits 1 when a connection fails or an echo is wrong.
 *
 * <p>Usage: {@code WebSocketEchoBench <port> <path> <connections> <seconds>}; the echo server is
 * {@code org.ailtire.gateway.WebSocketEcho}, which answers {@code echo <path>: <message>}.
 */
public final class WebSocketEchoBench {
    private static final String MESSAGE = "x".repeat(64);

    private WebSocketEchoBench() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        String path = args[1];
        int connections = Integer.parseInt(args[2]);
        int seconds = Integer.parseInt(args[3]);
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2).setPreferNativeTransport(true));
        WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(connections));
        List<WebSocket> sockets = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            sockets.add(client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI(path))
                    .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS));
        }
        run(sockets, seconds); // warm-up
        long[] sample = run(sockets, seconds);
        long count = sample.length;
        Arrays.sort(sample);
        System.out.printf("%.0f %.3f %.3f%n", count / (double) seconds, percentile(sample, 50) / 1e6,
                percentile(sample, 99) / 1e6);
        Future.all(sockets.stream().map(WebSocket::close).toList()).await();
        vertx.close().await();
    }

    /** Ping-pong on every socket for that long; the round trips' durations in nanoseconds. */
    private static long[] run(List<WebSocket> sockets, int seconds) throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        List<LongList> durations = new ArrayList<>();
        AtomicBoolean failed = new AtomicBoolean();
        String expected = "echo ";
        for (WebSocket socket : sockets) {
            LongList mine = new LongList();
            durations.add(mine);
            long[] sentAt = new long[1];
            socket.textMessageHandler(text -> {
                if (!text.startsWith(expected) || !text.endsWith(MESSAGE)) {
                    failed.set(true);
                }
                mine.add(System.nanoTime() - sentAt[0]);
                if (!stop.get()) {
                    sentAt[0] = System.nanoTime();
                    socket.writeTextMessage(MESSAGE);
                }
            });
            socket.exceptionHandler(e -> failed.set(true));
            socket.closeHandler(v -> {
                if (!stop.get()) {
                    failed.set(true);
                }
            });
            sentAt[0] = System.nanoTime();
            socket.writeTextMessage(MESSAGE);
        }
        Thread.sleep(seconds * 1000L);
        stop.set(true);
        Thread.sleep(500); // the last echoes in flight
        if (failed.get()) {
            System.err.println("a WebSocket failed or echoed something else");
            System.exit(1);
        }
        return durations.stream().map(LongList::toArray).flatMapToLong(Arrays::stream).toArray();
    }

    private static long percentile(long[] sorted, int p) {
        if (sorted.length == 0) {
            return 0;
        }
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(index, sorted.length - 1))];
    }

    /** Appended to by one event loop, read after the run. */
    private static final class LongList {
        private long[] values = new long[1 << 16];
        private int size;

        synchronized void add(long value) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = value;
        }

        synchronized long[] toArray() {
            return Arrays.copyOf(values, size);
        }
    }
}
