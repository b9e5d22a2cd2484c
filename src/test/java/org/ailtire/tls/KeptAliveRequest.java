package org.ailtire.tls;

import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** One {@code GET /} on a TLS connection the caller keeps open across requests (and across a certificate change). */
public final class KeptAliveRequest {
    private KeptAliveRequest() {
    }

    /**
     * Sends the request and reads the answer until it contains {@code bodyEnd} (and, when chunked, its last chunk).
     *
     * @return what came back, or what had come when the connection closed
     */
    public static String get(SSLSocket socket, String bodyEnd) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        byte[] buffer = new byte[8192];
        StringBuilder answer = new StringBuilder();
        while (!complete(answer.toString(), bodyEnd)) {
            int read = socket.getInputStream().read(buffer);
            if (read < 0) {
                break;
            }
            answer.append(new String(buffer, 0, read, StandardCharsets.US_ASCII));
        }
        return answer.toString();
    }

    private static boolean complete(String answer, String bodyEnd) {
        boolean chunked = answer.toLowerCase(Locale.ROOT).contains("transfer-encoding: chunked");
        return answer.contains(bodyEnd) && (!chunked || answer.endsWith("0\r\n\r\n"));
    }
}
