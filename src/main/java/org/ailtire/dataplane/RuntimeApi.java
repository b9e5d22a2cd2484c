package org.ailtire.dataplane;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.io.ByteArrayOutputStream;

/**
 * HAProxy's command socket (the runtime API on the stats socket, or the master CLI on the master socket): one command
 * per connection, answered until HAProxy closes it.
 */
public final class RuntimeApi {
    private final Path socket;

    public RuntimeApi(Path socket) {
        this.socket = socket;
    }

    public Path socket() {
        return socket;
    }

    /** @return HAProxy's answer, as it sent it */
    public String execute(String command) throws IOException {
        requireOneLine(command);
        return send(command + "\n");
    }

    /**
     * A command followed by a multi-line payload (HAProxy's {@code <<}: the payload ends at the first empty line, so
     * empty lines in it are left out).
     */
    public String execute(String command, String payload) throws IOException {
        requireOneLine(command);
        String lines = payload.lines().filter(line -> !line.isBlank()).collect(java.util.stream.Collectors.joining("\n"));
        return send(command + " <<\n" + lines + "\n\n");
    }

    private static void requireOneLine(String command) {
        if (command.contains("\n") || command.contains(";")) {
            throw new IllegalArgumentException("one command at a time, got " + command);
        }
    }

    private String send(String text) throws IOException {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            ByteBuffer request = ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII));
            while (request.hasRemaining()) {
                channel.write(request);
            }
            channel.shutdownOutput(); // the master CLI answers once the command is complete
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            ByteBuffer buffer = ByteBuffer.allocate(8192);
            while (channel.read(buffer) >= 0) {
                answer.write(buffer.array(), 0, buffer.position());
                buffer.clear();
            }
            return answer.toString(StandardCharsets.UTF_8);
        }
    }

    /** Runs a command that answers nothing (or an empty line) when it succeeds; anything else is its error. */
    public void change(String command) throws IOException {
        String answer = execute(command).strip();
        if (!answer.isEmpty() && !answer.startsWith("New server registered") && !answer.startsWith("Server deleted")) {
            throw new IOException("haproxy refused \"" + command + "\": " + answer);
        }
    }
}
