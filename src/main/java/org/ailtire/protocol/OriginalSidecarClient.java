package org.ailtire.protocol;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import org.ailtire.stack.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The client of the original (Node.js) ailtire sidecar's protocol, both ways a mixed tree needs it:
 * <ul>
 *   <li>for a stack of ours under an original parent: it registers the way an original child does, with
 *       {@code GET http://PARENTHOST:PARENTPORT/_admin/register?name=N&url=HOST:PORT&service=S/test} (no token, no
 *       scheme in {@code url}, the original's {@code /test} appended to the service), once at start and again every
 *       {@link #RETRY} only while that fails. The parent then polls this stack's {@code /_admin/status}: there is no
 *       heartbeat to send;</li>
 *   <li>for a stack of ours with an original child ({@link #OriginalSidecarClient(Duration)}): the child's
 *       {@code GET /_admin/status}, {@code /_admin/log?name=TASKKEY} and {@code /_admin/shutdown}, each within the
 *       request timeout.</li>
 * </ul>
 */
public final class OriginalSidecarClient implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OriginalSidecarClient.class);
    /** How long an original child waits before registering again after a failed attempt. */
    public static final Duration RETRY = Duration.ofSeconds(30);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    /** A shutdown answers once the original's {@code docker stack rm} ran: it is given this many request timeouts. */
    private static final int SHUTDOWN_TIMEOUTS = 6;

    /**
     * What a child tells an original parent.
     *
     * @param parent  the parent's admin base URL, {@code http://PARENTHOST:PARENTPORT}
     * @param name    the child's stack name ({@code AILTIRE_STACKNAME})
     * @param url     where the parent reaches the child: {@code HOST:PORT}, no scheme
     * @param service the child's service name ({@code AILTIRE_SERVICENAME}), sent with {@code /test} appended
     */
    public record Registration(URI parent, String name, String url, String service) {
        public Registration {
            Objects.requireNonNull(parent, "parent");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(url, "url");
            Objects.requireNonNull(service, "service");
        }

        /** The register request's URI, its query as an original child sends it. */
        public URI registerUri() {
            String base = parent.toString().replaceAll("/+$", "");
            return URI.create(base + "/_admin/register?name=" + queryValue(name) + "&url=" + queryValue(url)
                    + "&service=" + queryValue(service) + "/test");
        }

        /** Percent-encodes what a query value cannot hold, leaving {@code :} and {@code /} as the original sends them. */
        private static String queryValue(String value) {
            return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20").replace("%3A", ":")
                    .replace("%2F", "/");
        }
    }

    private final HttpClient http;
    private final Registration registration;
    private final Duration retry;
    private final Duration requestTimeout;
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile boolean registered;
    private Thread registering;

    public OriginalSidecarClient(Registration registration) {
        this(registration, RETRY);
    }

    /** @param retry how long to wait between failed attempts (the original waits {@link #RETRY}) */
    public OriginalSidecarClient(Registration registration, Duration retry) {
        this(Objects.requireNonNull(registration, "registration"), retry, REQUEST_TIMEOUT);
    }

    /** A parent's client of its original children; each call ends within {@code requestTimeout}. */
    public OriginalSidecarClient(Duration requestTimeout) {
        this(null, RETRY, requestTimeout);
    }

    private OriginalSidecarClient(Registration registration, Duration retry, Duration requestTimeout) {
        this.registration = registration;
        this.retry = retry;
        this.requestTimeout = requestTimeout;
        this.http = HttpClient.newBuilder().connectTimeout(requestTimeout).version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    /** An original child's two log streams, as its {@code /_admin/log} answers them. */
    public record Logs(List<String> stdout, List<String> stderr) {
        public Logs {
            stdout = List.copyOf(stdout);
            stderr = List.copyOf(stderr);
        }
    }

    /** An original child's {@code GET /_admin/status} document (see {@link OriginalStatusTree}). */
    public JsonNode status(URI child) throws IOException, InterruptedException {
        String body = get(child, "/_admin/status");
        try {
            JsonNode document = Json.MAPPER.readTree(body);
            if (document == null || !document.isObject()) {
                throw new IOException("the original child at " + child + " answered /_admin/status with no JSON object");
            }
            return document;
        } catch (JacksonException e) {
            throw new IOException("the original child at " + child + " answered /_admin/status with unreadable JSON: "
                    + e.getOriginalMessage(), e);
        }
    }

    /** The lines {@code GET /_admin/log?name=TASKKEY} of an original child answers for one of its task keys. */
    public Logs log(URI child, String taskKey) throws IOException, InterruptedException {
        String body = get(child, "/_admin/log?name=" + URLEncoder.encode(taskKey, StandardCharsets.UTF_8));
        try {
            JsonNode lines = Json.MAPPER.readTree(body);
            return new Logs(texts(lines == null ? null : lines.get("stdout")),
                    texts(lines == null ? null : lines.get("stderr")));
        } catch (JacksonException e) {
            throw new IOException("the original child at " + child + " answered /_admin/log with unreadable JSON: "
                    + e.getOriginalMessage(), e);
        }
    }

    /** {@code GET /_admin/shutdown}: the original removes its stack, answers its output as text, and exits. */
    public String shutdown(URI child) throws IOException, InterruptedException {
        return get(child, "/_admin/shutdown", requestTimeout.multipliedBy(SHUTDOWN_TIMEOUTS));
    }

    private String get(URI child, String pathAndQuery) throws IOException, InterruptedException {
        return get(child, pathAndQuery, requestTimeout);
    }

    private String get(URI child, String pathAndQuery, Duration timeout) throws IOException, InterruptedException {
        URI uri = URI.create(child.toString().replaceAll("/+$", "") + pathAndQuery);
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(timeout).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IOException("the original child at " + child + " answered " + pathAndQuery + " with "
                    + response.statusCode() + ": " + abbreviated(response.body()));
        }
        return response.body();
    }

    private static List<String> texts(JsonNode lines) {
        List<String> texts = new ArrayList<>();
        if (lines != null && lines.isArray()) {
            lines.forEach(line -> texts.add(line.isTextual() ? line.asText() : line.toString()));
        }
        return texts;
    }

    /** Registers in the background: now, then every retry period until one attempt succeeds or this is closed. */
    public synchronized void start() {
        if (registration == null) {
            throw new IllegalStateException("a parent's client of original children does not register");
        }
        if (registering == null) {
            registering = Thread.ofVirtual().name("original-parent-register").start(this::registerUntilDone);
        }
    }

    private void registerUntilDone() {
        try {
            while (closed.getCount() > 0) {
                try {
                    registerOnce();
                    registered = true;
                    LOG.info("registered as {} with the original parent at {}", registration.name(),
                            registration.parent());
                    return;
                } catch (IOException e) {
                    LOG.warn("registering with the original parent at {} failed ({}); again in {} s",
                            registration.parent(), e.getMessage(), retry.toSeconds());
                }
                if (closed.await(retry.toMillis(), TimeUnit.MILLISECONDS)) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One register call; anything but a 2xx answer is a failure naming the status. */
    public void registerOnce() throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(registration.registerUri()).timeout(REQUEST_TIMEOUT).GET().build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IOException("the parent answered " + response.statusCode() + ": " + abbreviated(response.body()));
        }
    }

    private static String abbreviated(String body) {
        String text = body == null ? "" : body.strip();
        return text.length() > 200 ? text.substring(0, 200) + "..." : text;
    }

    /** Whether an attempt succeeded. */
    public boolean registered() {
        return registered;
    }

    @Override
    public void close() {
        closed.countDown();
        Thread thread;
        synchronized (this) {
            thread = registering;
        }
        if (thread != null) {
            thread.interrupt();
        }
        http.close();
    }
}
