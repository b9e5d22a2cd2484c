package org.ailtire.stack;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The child side of the control plane: registers this stack with its parent, pushes its status when it changes
 * (the newest status handed to it, coalesced over a short delay) and as a heartbeat every interval, and registers again, with backoff, when the
 * parent is gone or no longer knows this stack (a restarted parent answers 404 to reports).
 *
 * <p>All the link's work runs on its own single thread, so its state needs no locks.
 */
public final class ParentLink implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ParentLink.class);

    /**
     * @param parent         the parent controller's base URL, e.g. {@code http://parent:3000}
     * @param token          the application tree's token
     * @param self           how this stack registers
     * @param heartbeat      how often the status is pushed even without a change
     * @param debounce       how long changes are gathered before one push
     * @param initialBackoff first wait before registering again; doubles up to {@code maxBackoff}
     */
    public record Settings(URI parent, String token, Registration self, Duration heartbeat, Duration debounce,
                           Duration initialBackoff, Duration maxBackoff) {
    }

    private final Settings settings;
    private final AtomicReference<Status> latest = new AtomicReference<>();
    // Kept in a field for the link's life: the client owns its connection pool.
    private final HttpClient http;
    private final ScheduledExecutorService thread;
    private final AtomicBoolean pushPending = new AtomicBoolean();
    private final AtomicInteger registrations = new AtomicInteger();
    private volatile boolean registered;
    private Duration backoff;
    private ScheduledFuture<?> heartbeat;

    public ParentLink(Settings settings) {
        this.settings = settings;
        this.backoff = settings.initialBackoff();
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "parent-link");
            t.setDaemon(true);
            return t;
        });
    }

    public void start() {
        thread.execute(this::register);
    }

    /** Hands the link the stack's new status; it is pushed within the debounce delay, once for many changes. */
    public void statusChanged(Status status) {
        latest.set(status);
        if (pushPending.compareAndSet(false, true)) {
            thread.schedule(() -> {
                pushPending.set(false);
                if (registered) {
                    push();
                }
            }, settings.debounce().toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    public boolean isRegistered() {
        return registered;
    }

    /** How many times the parent accepted a registration (1 + re-registrations). */
    public int registrations() {
        return registrations.get();
    }

    @Override
    public void close() {
        thread.shutdownNow();
        http.close();
    }

    private void register() {
        Registration self = settings.self();
        String body = write(Map.of("name", self.name(), "url", self.url(), "service", self.service()));
        Answer answer = post("/api/v1/register", body);
        if (answer.ok()) {
            registered = true;
            backoff = settings.initialBackoff();
            registrations.incrementAndGet();
            LOG.info("registered with parent {} as {}", settings.parent(), self.name());
            push();
            long every = settings.heartbeat().toMillis();
            heartbeat = thread.scheduleWithFixedDelay(this::push, every, every, TimeUnit.MILLISECONDS);
        } else {
            retryRegistration("registration answered " + answer);
        }
    }

    private void push() {
        Status status = latest.get();
        if (!registered || status == null) {
            return;
        }
        Answer answer = post("/api/v1/children/" + settings.self().name() + "/report", write(status));
        if (!answer.ok()) {
            registered = false;
            if (heartbeat != null) {
                heartbeat.cancel(false);
            }
            retryRegistration("status report answered " + answer);
        }
    }

    private void retryRegistration(String why) {
        LOG.warn("parent {}: {}; registering again in {}", settings.parent(), why, backoff);
        thread.schedule(this::register, backoff.toMillis(), TimeUnit.MILLISECONDS);
        Duration doubled = backoff.multipliedBy(2);
        backoff = doubled.compareTo(settings.maxBackoff()) > 0 ? settings.maxBackoff() : doubled;
    }

    /** The parent's answer: its HTTP status (-1 when it could not be reached) and, when refused, why. */
    private record Answer(int code, String body) {
        boolean ok() {
            return code / 100 == 2;
        }

        @Override
        public String toString() {
            return code < 0 ? "nothing (parent unreachable)" : "HTTP " + code + (body.isBlank() ? "" : " " + body.strip());
        }
    }

    private Answer post(String path, String json) {
        HttpRequest request = HttpRequest.newBuilder(settings.parent().resolve(path))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + settings.token())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            String body = response.statusCode() / 100 == 2 ? "" : response.body();
            return new Answer(response.statusCode(), body.length() > 500 ? body.substring(0, 500) : body);
        } catch (IOException e) {
            return new Answer(-1, "");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(-1, "");
        }
    }

    private static String write(Object value) {
        try {
            return Json.MAPPER.writeValueAsString(value);
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode " + value.getClass().getSimpleName(), e);
        }
    }
}
