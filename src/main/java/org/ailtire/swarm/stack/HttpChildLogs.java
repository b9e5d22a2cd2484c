package org.ailtire.swarm.stack;

import com.fasterxml.jackson.databind.JsonNode;
import org.ailtire.stack.Json;
import org.ailtire.stack.LogLine;
import org.ailtire.stack.LogRequest;
import org.ailtire.stack.LogSink;
import org.ailtire.stack.Registration;
import org.ailtire.stack.StackToken;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

/**
 * Reads a child stack's logs from its controller's {@code GET /api/v1/logs} (JSON lines, or Server-Sent Events
 * when following) and hands them on with the child's name in front of the service, e.g. {@code backend/db}.
 */
public final class HttpChildLogs implements ChildLogs {
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    private final StackToken token;

    /** @param token this stack's token; each child is called with the one derived for it */
    public HttpChildLogs(StackToken token) {
        this.token = token;
    }

    @Override
    public AutoCloseable forward(Registration child, LogRequest request, LogSink sink) {
        StringBuilder query = new StringBuilder("tail=").append(request.tail())
                .append("&stream=").append(request.streams().name().toLowerCase(java.util.Locale.ROOT))
                .append("&follow=").append(request.follow());
        request.service().ifPresent(s -> query.append("&service=").append(URLEncoder.encode(s, StandardCharsets.UTF_8)));
        request.since().ifPresent(t -> query.append("&since=").append(URLEncoder.encode(t.toString(), StandardCharsets.UTF_8)));
        HttpRequest get = HttpRequest.newBuilder(URI.create(child.url() + "/api/v1/logs?" + query))
                .header("Authorization", "Bearer " + token.child(child.name()).value()).GET().build();
        CompletableFuture<HttpResponse<Stream<String>>> response = http.sendAsync(get, HttpResponse.BodyHandlers.ofLines());
        response.whenComplete((r, failure) -> {
            if (failure != null) {
                sink.end(failure);
                return;
            }
            if (r.statusCode() == 404) {
                r.body().close();
                sink.end(new org.ailtire.stack.NoSuchServiceException(child.name() + "/" + request.service().orElse("")));
                return;
            }
            if (r.statusCode() != 200) {
                r.body().close();
                sink.end(new IllegalStateException("child stack " + child.name() + " answered " + r.statusCode()));
                return;
            }
            try (Stream<String> lines = r.body()) {
                lines.forEach(line -> {
                    String json = request.follow() ? (line.startsWith("data:") ? line.substring(5).trim() : null) : line;
                    if (json != null && !json.isBlank()) {
                        toLine(child.name(), json, sink);
                    }
                });
                sink.end(null);
            } catch (RuntimeException e) {
                sink.end(e);
            }
        });
        return () -> response.thenAccept(r -> r.body().close()).cancel(true);
    }

    private static void toLine(String childName, String json, LogSink sink) {
        try {
            JsonNode node = Json.MAPPER.readTree(json);
            if (!node.has("text")) {
                return; // the end event of a followed stream
            }
            LogLine line = Json.MAPPER.treeToValue(node, LogLine.class);
            sink.line(new LogLine(childName + "/" + line.service(), line.stream(), line.at(), line.text()));
        } catch (java.io.IOException e) {
            throw new IllegalStateException("unreadable log line from child stack " + childName + ": " + e.getMessage(), e);
        }
    }
}
