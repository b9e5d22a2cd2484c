package org.ailtire.swarm.testsupport;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A fake engine on a unix socket (in a test's temporary directory) that reads each request and never answers it,
 * except {@code /events}: that it answers, stays quiet for {@code eventsQuiet}, then sends one service event; and
 * the paths it was told to answer ({@link #answering}), or to answer with a head and then stall
 * ({@link #stallingBody}).
 */
public final class StalledEngine implements AutoCloseable {
    private final Path socket;
    private final Duration eventsQuiet;
    private final ServerSocketChannel server;
    private final Thread acceptor;
    private final List<SocketChannel> connections = new CopyOnWriteArrayList<>();
    private final List<String> requestLines = new CopyOnWriteArrayList<>();
    private final java.util.Map<String, String> answers = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicInteger openEventStreams =
            new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.Set<String> stalledBodies = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public StalledEngine(Path socket, Duration eventsQuiet) throws IOException {
        this.socket = socket;
        this.eventsQuiet = eventsQuiet;
        this.server = ServerSocketChannel.open(StandardProtocolFamily.UNIX).bind(UnixDomainSocketAddress.of(socket));
        this.acceptor = Thread.ofVirtual().start(this::serve);
    }

    public URI uri() {
        return URI.create("unix://" + socket);
    }

    /**
     * Answers a GET whose path (without the API version) is {@code path} with this JSON instead of stalling; a path
     * without a query also answers the path with any query.
     */
    public StalledEngine answering(String path, String json) {
        answers.put(path, json);
        return this;
    }

    /** From now on stalls the paths it answered so far too (an engine that stalls while in use). */
    public StalledEngine stallingEverything() {
        answers.clear();
        return this;
    }

    /**
     * Answers a GET whose path (without the API version) is {@code path} with a head announcing a JSON body and the
     * body's first byte, then stalls.
     */
    public StalledEngine stallingBody(String path) {
        stalledBodies.add(path);
        return this;
    }

    /** How many event streams clients hold open now. */
    public int openEventStreams() {
        return openEventStreams.get();
    }

    /** The request lines received, e.g. {@code GET /v1.41/services HTTP/1.1}. */
    public List<String> requestLines() {
        return requestLines;
    }

    @Override
    public void close() throws IOException {
        server.close();
        acceptor.interrupt();
        for (SocketChannel c : connections) {
            c.close();
        }
    }

    private void serve() {
        while (server.isOpen()) {
            try {
                SocketChannel c = server.accept();
                connections.add(c);
                Thread.ofVirtual().start(() -> answer(c));
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void answer(SocketChannel c) {
        try {
            ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
            StringBuilder head = new StringBuilder();
            // One connection may carry several requests (kept alive) until one stalls.
            while (true) {
                while (!head.toString().contains("\r\n\r\n")) {
                    buffer.clear();
                    if (c.read(buffer) < 0) {
                        return;
                    }
                    head.append(new String(buffer.array(), 0, buffer.position(), StandardCharsets.ISO_8859_1));
                }
                String requestLine = head.substring(0, head.indexOf("\r\n"));
                head.delete(0, head.indexOf("\r\n\r\n") + 4);
                requestLines.add(requestLine);
                String path = requestLine.split(" ")[1].replaceFirst("^/v[0-9.]+", "");
                String json = answers.getOrDefault(path, answers.get(path.replaceFirst("\\?.*", "")));
                if (json != null) {
                    write(c, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
                            + json.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + json);
                    continue;
                }
                if (stalledBodies.contains(path)) {
                    write(c, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n[");
                    return; // the rest of the body never comes
                }
                if (!requestLine.contains("/events")) {
                    return; // stalled: the connection stays open, nothing is answered
                }
                write(c, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n");
                openEventStreams.incrementAndGet();
                Thread.ofVirtual().start(() -> untilClosed(c));
                Thread.sleep(eventsQuiet.toMillis());
                String event = "{\"Type\":\"service\",\"Action\":\"update\",\"Actor\":{\"ID\":\"x\"},\"time\":1}\n";
                write(c, Integer.toHexString(event.length()) + "\r\n" + event + "\r\n");
                return;
            }
        } catch (IOException | InterruptedException e) {
            // the test ended
        }
    }

    /** A client sends nothing more on an event stream: the read ends when it closes the stream. */
    private void untilClosed(SocketChannel c) {
        try {
            while (c.read(ByteBuffer.allocate(256)) >= 0) {
                // nothing is expected
            }
        } catch (IOException closed) {
            // closed either way
        } finally {
            openEventStreams.decrementAndGet();
        }
    }

    private static void write(SocketChannel c, String text) throws IOException {
        ByteBuffer out = ByteBuffer.wrap(text.getBytes(StandardCharsets.ISO_8859_1));
        while (out.hasRemaining()) {
            c.write(out);
        }
    }
}
