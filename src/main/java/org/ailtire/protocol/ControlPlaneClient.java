package org.ailtire.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import org.ailtire.stack.DefinitionVersion;
import org.ailtire.stack.Json;
import org.ailtire.stack.LogLine;
import org.ailtire.stack.Registration;
import org.ailtire.stack.StackEvent;
import org.ailtire.stack.Status;
import org.ailtire.stack.Update;
import org.ailtire.stack.UpdateEvent;
import org.ailtire.stack.UpdatePreview;
import org.ailtire.stack.UpdateRequest;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * The one client of a controller's control-plane API ({@code /api/v1}, see its {@code openapi.json}), used by the
 * CLI, by a child towards its parent and by a parent towards its children.
 *
 * <p>Connection failures raise {@link ControllerUnreachableException}; error answers raise
 * {@link ControlPlaneException} carrying the server's {@code {error, details}}. The asynchronous calls fail with the
 * same exceptions.
 */
public final class ControlPlaneClient {
    private static final String API = "/api/v1";
    /** Who the controller's history and events list say made a change: this user on this machine. */
    static final String CLI_ACTOR = cliActor();

    private final ControlPlaneConnections connections;
    private final URI base;
    private final String token;

    /** The CLI's client: its own connection pool, acting as this user on this machine. */
    public ControlPlaneClient(URI base, String token) {
        this(new ControlPlaneConnections(CLI_ACTOR, Duration.ofSeconds(10), Duration.ofSeconds(30)), base, token);
    }

    ControlPlaneClient(ControlPlaneConnections connections, URI base, String token) {
        this.connections = connections;
        this.base = base;
        this.token = token;
    }

    public URI base() {
        return base;
    }

    public Status status() throws IOException, InterruptedException {
        return read(get("/status", true), Status.class);
    }

    public CompletableFuture<Status> statusAsync() {
        return then(sendAsync(request(API + "/status", true).GET().build()), response -> read(response, Status.class));
    }

    /** The status document exactly as the controller sent it. */
    public String statusJson() throws IOException, InterruptedException {
        HttpResponse<InputStream> response = get("/status", true);
        requireSuccess(response);
        try (InputStream body = response.body()) {
            return new String(body.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Like {@link #statusEvents()}, each status document exactly as the controller sent it. */
    public EventSubscription<String> statusEventsJson() throws IOException, InterruptedException {
        return subscribe("/status/events", event -> event.event().equals("status") ? event.data() : null);
    }

    /** The whole tree on connect, then again on every change. */
    public EventSubscription<Status> statusEvents() throws IOException, InterruptedException {
        return subscribe("/status/events", event -> event.event().equals("status")
                ? Json.MAPPER.readValue(event.data(), Status.class) : null);
    }

    /** A child stack announces itself to its parent (this client's controller). */
    public void register(Registration self) throws IOException, InterruptedException {
        discard(send(postJson("/register", Map.of("name", self.name(), "url", self.url(), "service", self.service()))));
    }

    /** A registered child stack hands its parent its status (404: the parent does not know it, register again). */
    public void report(String child, Status status) throws IOException, InterruptedException {
        discard(send(postJson("/children/" + encode(child) + "/report", status)));
    }

    public UpdateStarted update(UpdateRequest request) throws IOException, InterruptedException {
        return started(send(postJson("/update", request)));
    }

    /** Applies a kept version of the definition again (with the variables it was applied with). */
    public UpdateStarted rollback(int version) throws IOException, InterruptedException {
        return started(send(postJson("/rollback", Map.of("version", version))));
    }

    /** Scales one of the stack's own services (an update of the version applied now). */
    public UpdateStarted scale(String service, int replicas) throws IOException, InterruptedException {
        return started(send(postJson("/services/" + encode(service) + "/scale", Map.of("replicas", replicas))));
    }

    /** Redeploys the named services of the stack, or all its own services when none is named. */
    public UpdateStarted redeploy(List<String> services) throws IOException, InterruptedException {
        return started(send(postJson("/redeploy", Map.of("services", services))));
    }

    /** What the update would change (text diff and services), with nothing applied. */
    public UpdatePreview preview(UpdateRequest request) throws IOException, InterruptedException {
        return read(send(postJson("/update/preview", request)), UpdatePreview.class);
    }

    /** The kept versions (without their texts) and the one applied now. */
    public JsonNode history() throws IOException, InterruptedException {
        return read(get("/history", true), JsonNode.class);
    }

    public DefinitionVersion version(int version) throws IOException, InterruptedException {
        return read(get("/history/" + version, true), DefinitionVersion.class);
    }

    /** Unified diff from {@code against} (null: the version applied now) to {@code version}. */
    public String diff(int version, Integer against) throws IOException, InterruptedException {
        return read(get("/history/" + version + "/diff" + (against == null ? "" : "?against=" + against), true),
                JsonNode.class).path("diff").asText();
    }

    public List<StackEvent> events() throws IOException, InterruptedException {
        JsonNode events = read(get("/events", true), JsonNode.class).path("events");
        return List.of(Json.MAPPER.treeToValue(events, StackEvent[].class));
    }

    /** The certificate the top gateway serves: subject, notAfter, fingerprint, origin (404 without TLS). */
    public JsonNode tls() throws IOException, InterruptedException {
        return read(get("/tls", true), JsonNode.class);
    }

    /** Serves this chain and key (PEM text) on the top gateway from now on, without a restart. */
    public JsonNode replaceTls(String certificates, String key) throws IOException, InterruptedException {
        HttpRequest put = request(API + "/tls", true).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(Json.MAPPER.writeValueAsString(
                        Map.of("certificate", certificates, "key", key)))).build();
        return read(send(put), JsonNode.class);
    }

    /** The stack's redeploy webhook: url and createdAt (404 when it has none). */
    public JsonNode webhook() throws IOException, InterruptedException {
        return read(get("/webhook", true), JsonNode.class);
    }

    /** Makes the webhook's secret, replacing any earlier one: the answer is the only place it is shown. */
    public JsonNode createWebhook() throws IOException, InterruptedException {
        return read(send(request(API + "/webhook", true).POST(HttpRequest.BodyPublishers.noBody()).build()),
                JsonNode.class);
    }

    /** Turns the webhook off. */
    public void deleteWebhook() throws IOException, InterruptedException {
        discard(send(request(API + "/webhook", true).DELETE().build()));
    }

    public Update.View updateView(String id) throws IOException, InterruptedException {
        return read(get("/updates/" + encode(id), true), Update.View.class);
    }

    /** Past steps replayed, then the live ones, then {@link UpdateFeed.End}. */
    public EventSubscription<UpdateFeed> updateEvents(String id) throws IOException, InterruptedException {
        return subscribe("/updates/" + encode(id) + "/events", event -> switch (event.event()) {
            case "progress" -> new UpdateFeed.Progress(Json.MAPPER.readValue(event.data(), UpdateEvent.class));
            case "end" -> {
                JsonNode end = Json.MAPPER.readTree(event.data());
                yield new UpdateFeed.End(end.path("id").asText(id),
                        Update.State.valueOf(end.path("state").asText("FAILED")));
            }
            default -> null;
        });
    }

    /** Asks the stack to shut down (children first); it answers at once, the shutdown goes on. */
    public void shutdown() throws IOException, InterruptedException {
        read(send(shutdownRequest()), JsonNode.class);
    }

    /** Like {@link #shutdown()}, without blocking the caller. */
    public CompletableFuture<Void> shutdownAsync() {
        return then(sendAsync(shutdownRequest()), response -> {
            discard(response);
            return null;
        });
    }

    private HttpRequest shutdownRequest() {
        return request(API + "/shutdown", true).POST(HttpRequest.BodyPublishers.noBody()).build();
    }

    /** The past lines asked for, each handed to {@code each} as it arrives. */
    public void logs(LogSelection selection, Consumer<LogLine> each) throws IOException, InterruptedException {
        HttpResponse<InputStream> response = get("/logs" + query(selection, false), true);
        requireSuccess(response);
        try (LogLines lines = new LogLines(response.body())) {
            LogLine line;
            while ((line = lines.next()) != null) {
                each.accept(line);
            }
        }
    }

    /**
     * Like {@link #logs}, the lines read as the caller pulls them; no request timeout, since the controller answers
     * with its first line, which a quiet service may take long to write.
     */
    public CompletableFuture<LogLines> logsAsync(LogSelection selection) {
        return then(sendAsync(request(API + "/logs" + query(selection, false), false).GET().build()), response -> {
            requireSuccess(response);
            return new LogLines(response.body());
        });
    }

    /** The past lines asked for, then new ones as they are written, until closed or the source ends. */
    public EventSubscription<LogFeed> followLogs(LogSelection selection) throws IOException, InterruptedException {
        return subscribe("/logs" + query(selection, true), ControlPlaneClient::logFeed);
    }

    public CompletableFuture<EventSubscription<LogFeed>> followLogsAsync(LogSelection selection) {
        return then(sendAsync(events("/logs" + query(selection, true))), response -> {
            requireSuccess(response);
            return new EventSubscription<>(response.body(), ControlPlaneClient::logFeed);
        });
    }

    private static LogFeed logFeed(SseEvent event) throws IOException {
        return switch (event.event()) {
            case "log" -> new LogFeed.Line(Json.MAPPER.readValue(event.data(), LogLine.class));
            case "end" -> new LogFeed.End(Json.MAPPER.readTree(event.data()).path("error").asText(""));
            default -> null;
        };
    }

    private <T> EventSubscription<T> subscribe(String path, EventSubscription.Decoder<T> decoder)
            throws IOException, InterruptedException {
        HttpResponse<InputStream> response = send(events(path));
        requireSuccess(response);
        return new EventSubscription<>(response.body(), decoder);
    }

    private HttpRequest events(String path) {
        // No request timeout: event streams stay open for as long as the caller wants them.
        return request(API + path, false).header("Accept", "text/event-stream").GET().build();
    }

    private HttpRequest postJson(String path, Object body) throws IOException {
        return request(API + path, true).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.MAPPER.writeValueAsString(body))).build();
    }

    private UpdateStarted started(HttpResponse<InputStream> response) throws IOException {
        JsonNode body = read(response, JsonNode.class);
        String id = body.path("id").asText();
        URI location = base.resolve(response.headers().firstValue("Location")
                .orElse(API + "/updates/" + id));
        return new UpdateStarted(id, location, base.resolve(body.path("events").asText(location + "/events")));
    }

    private HttpResponse<InputStream> get(String path, boolean timeout) throws IOException, InterruptedException {
        return send(request(API + path, timeout).GET().build());
    }

    private HttpRequest.Builder request(String path, boolean timeout) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(stripSlash(base.toString()) + path))
                .header("Authorization", "Bearer " + token);
        if (connections.actor() != null) {
            builder.header("X-Ailtire-Actor", connections.actor());
        }
        return timeout ? builder.timeout(connections.requestTimeout()) : builder;
    }

    private HttpResponse<InputStream> send(HttpRequest request) throws IOException, InterruptedException {
        try {
            return connections.http().send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw unreachable(e);
        }
    }

    private CompletableFuture<HttpResponse<InputStream>> sendAsync(HttpRequest request) {
        return connections.http().sendAsync(request, HttpResponse.BodyHandlers.ofInputStream())
                .exceptionallyCompose(failure -> CompletableFuture.failedFuture(
                        unwrap(failure) instanceof IOException e ? unreachable(e) : unwrap(failure)));
    }

    private ControllerUnreachableException unreachable(IOException e) {
        if (e instanceof HttpConnectTimeoutException) {
            return new ControllerUnreachableException(base, "connection timed out", e);
        }
        if (e instanceof ConnectException refused) {
            return new ControllerUnreachableException(base, connectReason(refused), e);
        }
        return new ControllerUnreachableException(base, "no answer (" + e.getMessage() + ")", e);
    }

    private static String connectReason(ConnectException e) {
        Throwable cause = e.getCause() != null ? e.getCause() : e;
        if (cause instanceof java.nio.channels.UnresolvedAddressException) {
            return "unknown host";
        }
        String message = cause.getMessage();
        if (message == null || message.toLowerCase(Locale.ROOT).contains("refused")) {
            return "connection refused";
        }
        return message;
    }

    /** The cause a {@link CompletableFuture}'s later stage wrapped. */
    static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    private interface Answered<T> {
        T read(HttpResponse<InputStream> response) throws IOException;
    }

    /** Reads the answer once it came; the future fails with the same exceptions as the synchronous calls. */
    private static <T> CompletableFuture<T> then(CompletableFuture<HttpResponse<InputStream>> sent, Answered<T> read) {
        return sent.thenCompose(response -> {
            try {
                return CompletableFuture.completedFuture(read.read(response));
            } catch (IOException e) {
                return CompletableFuture.failedFuture(e);
            }
        });
    }

    private <T> T read(HttpResponse<InputStream> response, Class<T> type) throws IOException {
        requireSuccess(response);
        try (InputStream body = response.body()) {
            return Json.MAPPER.readValue(body, type);
        }
    }

    /** For answers whose body says nothing more than their status. */
    private void discard(HttpResponse<InputStream> response) throws IOException {
        requireSuccess(response);
        try (InputStream body = response.body()) {
            body.transferTo(java.io.OutputStream.nullOutputStream());
        }
    }

    private void requireSuccess(HttpResponse<InputStream> response) throws IOException {
        int status = response.statusCode();
        if (status < 400) {
            return;
        }
        try (InputStream body = response.body()) {
            throw problem(status, new String(body.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    /** An error answer: the server's {@code {error, details}} when it sent them, else its text or the status. */
    static ControlPlaneException problem(int status, String text) {
        String error = "HTTP " + status;
        List<String> details = new ArrayList<>();
        try {
            JsonNode json = Json.MAPPER.readTree(text);
            if (json != null && json.hasNonNull("error")) {
                error = json.get("error").asText();
                json.path("details").forEach(detail -> details.add(describe(detail)));
            } else if (!text.isBlank()) {
                error = text.strip();
            }
        } catch (IOException notJson) {
            if (!text.isBlank()) {
                error = text.strip();
            }
        }
        return new ControlPlaneException(status, error, details);
    }

    /** A detail is a text, or a definition problem {severity, path, message}. */
    private static String describe(JsonNode detail) {
        if (!detail.isObject()) {
            return detail.asText();
        }
        String path = detail.path("path").asText("");
        String message = detail.path("message").asText(detail.toString());
        boolean warning = "WARNING".equals(detail.path("severity").asText());
        return (path.isEmpty() ? "" : path + ": ") + message + (warning ? " (warning)" : "");
    }

    private static String query(LogSelection selection, boolean follow) {
        Map<String, String> params = new LinkedHashMap<>();
        selection.service().ifPresent(s -> params.put("service", s));
        selection.tail().ifPresent(n -> params.put("tail", Integer.toString(n)));
        selection.since().ifPresent(t -> params.put("since", t.toString()));
        params.put("stream", selection.streams().name().toLowerCase(Locale.ROOT));
        params.put("follow", Boolean.toString(follow));
        return params.entrySet().stream()
                .map(e -> e.getKey() + "=" + encode(e.getValue()))
                .collect(Collectors.joining("&", "?", ""));
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String cliActor() {
        String host = System.getenv().getOrDefault("HOSTNAME", "");
        if (host.isBlank()) {
            try {
                host = java.net.InetAddress.getLocalHost().getHostName();
            } catch (IOException e) {
                host = "unknown-host";
            }
        }
        String actor = System.getProperty("user.name", "unknown") + "@" + host + " (cli)";
        // A header value: printable ASCII only.
        return actor.chars().map(c -> c >= 0x20 && c < 0x7f ? c : '?')
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
