package org.ailtire.controller;

import org.ailtire.cli.CliEnvironment;
import org.ailtire.protocol.ControlPlaneClient;
import org.ailtire.protocol.EventSubscription;
import org.ailtire.protocol.LogFeed;
import org.ailtire.protocol.LogSelection;
import org.ailtire.cli.Main;
import org.ailtire.protocol.UpdateFeed;
import org.ailtire.protocol.UpdateStarted;
import org.ailtire.stack.Json;
import org.ailtire.stack.LogRequest;
import org.ailtire.stack.Status;
import org.ailtire.stack.Update;
import org.ailtire.stack.UpdateEvent;
import org.ailtire.stack.UpdateRequest;
import org.ailtire.swarm.testsupport.TestSwarm;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Sixteen clients at once against a deployed stack (its controller in a container, reached on a loopback port)
 * while one update rolls a service: status readers, status event streams, log followers and clients of the
 * gateway route, plus the update itself. Every response must be the expected 2xx, the update must succeed with a
 * complete event stream, the status streams must show the roll, and the log followers the new tasks' lines.
 *
 * <p>The rule for the route: not one 502, 503 or 504. The rolled service has two replicas, rolled one at a time
 * with {@code order: start-first}; its name resolves to its running tasks' addresses (dnsrr); swarm takes a task
 * out of the name before stopping it, and the task keeps serving for its stop grace period (its shell, PID 1,
 * ignores SIGTERM); the gateway resolves the name for every request (busybox httpd closes each connection, so no
 * pooled connection outlives its task). So some task always serves the route, and every answer is 200 from an old
 * task ({@code web v1}) or a new one ({@code web v2}).
 *
 * <p>Every client is bounded by a request count and by {@link #HARD_LIMIT}; the load stops by itself once
 * everything awaited has been seen (or after a minute more at most), and everything is removed label-scoped
 * afterwards, even on failure. Only loopback is used.
 */
@Tag("integration")
class LoadIT {
    /** Published by the controller in host mode (outside the ephemeral range), used over loopback only. */
    private static final int PORT = 18660;
    private static final int ADMIN_PORT = 18661;
    private static final Duration HARD_LIMIT = Duration.ofMinutes(4);
    private static final int STATUS_READERS = 4;
    private static final int STATUS_STREAMS = 2;
    private static final int LOG_FOLLOWERS = 3;
    private static final int PROXY_CLIENTS = 6;
    /** The four kinds above plus the one client that updates. */
    private static final int CLIENTS = STATUS_READERS + STATUS_STREAMS + LOG_FOLLOWERS + PROXY_CLIENTS + 1;
    private static final int MAX_REQUESTS_PER_CLIENT = 5_000;

    // MARKER changes with the update, so both tasks are replaced; each task says which MARKER it has.
    private static final String DEFINITION = """
            services:
              web:
                image: ailtire/busybox:local
                command: ["sh", "-c", "mkdir -p /www && echo \\"web $$MARKER\\" > /www/index.html && httpd -p 8000 -h /www && echo \\"web up $$MARKER\\" && while true; do sleep 1; echo \\"web tick $$MARKER\\"; done"]
                environment:
                  MARKER: ${MARKER:-v1}
                stop_grace_period: 1s
                deploy:
                  replicas: 2
                  update_config:
                    parallelism: 1
                    order: start-first
                x-ailtire:
                  routes:
                    - {path: /, port: 8000}
            """;

    private final AtomicBoolean stop = new AtomicBoolean();
    private final Instant hardStop = Instant.now().plus(HARD_LIMIT);
    private final Map<String, AtomicLong> requests = new ConcurrentHashMap<>();
    private final List<String> errors = new CopyOnWriteArrayList<>();
    private final List<AutoCloseable> subscriptions = new CopyOnWriteArrayList<>();

    @Test
    void sixteenClientsDuringAnUpdateSeeNoErrorAndLoseNoEvent(@TempDir Path temp) throws Exception {
        String app = "it-load-" + UUID.randomUUID().toString().substring(0, 6);
        Path definition = temp.resolve("stack.yml");
        Files.writeString(definition, DEFINITION);
        Path home = temp.resolve("home");
        URI base = URI.create("http://127.0.0.1:" + PORT);
        URI admin = URI.create("http://127.0.0.1:" + ADMIN_PORT);
        try {
            Run deploy = cli(home, "deploy", "-f", definition.toString(), "--app", app, "--port",
                    Integer.toString(PORT), "--admin-port", Integer.toString(ADMIN_PORT), "--timeout", "PT3M",
                    "--image", DeployedDemo.CONTROLLER_IMAGE);
            assertThat(deploy.code()).as(deploy.output()).isEqualTo(Main.OK);
            String token = Json.MAPPER.readTree(home.resolve(".ailtire").resolve(app + ".json").toFile())
                    .get("token").asText();
            assertThat(token).as(deploy.output()).isNotBlank();
            awaitServing(base, admin, token);
            runLoad(base, admin, token);
        } finally {
            stop.set(true);
            closeSubscriptions();
            Run shutdown = cli(home, "shutdown", "--app", app, "--yes");
            List<String> left = new ArrayList<>();
            for (String namespace : List.of(app + "-root", app)) {
                try (TestSwarm swarm = TestSwarm.of(namespace)) {
                    left.addAll(swarm.leftovers()); // closing removes them, even after a failure
                }
            }
            assertThat(shutdown.code()).as(shutdown.output()).isEqualTo(Main.OK);
            assertThat(left).as("labelled objects left after shutdown").isEmpty();
        }
    }

    /** @param base the application (gateway) URL; @param admin the control plane's */
    private void runLoad(URI base, URI admin, String token) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        List<Future<?>> clients = new ArrayList<>();
        CountDownLatch streaming = new CountDownLatch(STATUS_STREAMS + LOG_FOLLOWERS);
        List<StatusStreamClient> statusStreams = new ArrayList<>();
        List<LogFollower> followers = new ArrayList<>();
        List<ProxyClient> proxies = new ArrayList<>();
        Instant started = Instant.now();
        loadStarted = started;
        try {
            for (int i = 0; i < STATUS_READERS; i++) {
                clients.add(pool.submit(() -> readStatus(admin, token)));
            }
            for (int i = 0; i < STATUS_STREAMS; i++) {
                StatusStreamClient client = new StatusStreamClient(new ControlPlaneClient(admin, token), streaming);
                statusStreams.add(client);
                clients.add(pool.submit(client::run));
            }
            for (int i = 0; i < LOG_FOLLOWERS; i++) {
                LogFollower follower = new LogFollower(new ControlPlaneClient(admin, token), streaming);
                followers.add(follower);
                clients.add(pool.submit(follower::run));
            }
            for (int i = 0; i < PROXY_CLIENTS; i++) {
                ProxyClient proxy = new ProxyClient(base);
                proxies.add(proxy);
                clients.add(pool.submit(proxy::run));
            }
            assertThat(streaming.await(60, TimeUnit.SECONDS)).as("every stream opened; errors: " + errors).isTrue();

            phase = "during the update";
            Future<UpdateOutcome> update = pool.submit(() -> update(new ControlPlaneClient(admin, token)));
            UpdateOutcome outcome = update.get(HARD_LIMIT.toSeconds(), TimeUnit.SECONDS);
            phase = "after the update";

            // The roll is over: what each streaming client must have seen arrives within moments.
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                for (StatusStreamClient stream : statusStreams) {
                    assertThat(stream.sawTheRoll()).as("a status stream saw UPDATING, then RUNNING with the new"
                            + " tasks: " + stream.transitions + "; first errors: " + errors.stream().limit(10).toList())
                            .isTrue();
                }
                for (LogFollower follower : followers) {
                    assertThat(follower.sawTheNewTasks()).as("a log follower saw both new tasks start: "
                            + follower.markers + " of " + follower.lines + " lines").isTrue();
                }
                for (ProxyClient proxy : proxies) {
                    assertThat(proxy.newVersion.get()).as("a proxy client reached the new tasks (old ones "
                            + proxy.oldVersion + " times); first errors: " + errors.stream().limit(5).toList())
                            .isPositive();
                }
            });
            stop.set(true);
            closeSubscriptions();
            pool.shutdown();
            assertThat(pool.awaitTermination(60, TimeUnit.SECONDS)).as("every client stopped").isTrue();
            for (Future<?> client : clients) {
                client.get(); // a client's own failure surfaces here
            }

            long seconds = Duration.between(started, Instant.now()).toSeconds();
            System.out.printf("[load] %d clients for %d s on loopback: status reads %d, status streams %d (events %d),"
                            + " log follows %d (lines %d, of the new tasks %d), proxy requests %d (old %d, new %d),"
                            + " update %s with %d events (sequence 0..%d contiguous); errors %d%n",
                    CLIENTS, seconds, count("status"), STATUS_STREAMS,
                    statusStreams.stream().mapToLong(s -> s.events.get()).sum(), LOG_FOLLOWERS,
                    followers.stream().mapToLong(f -> f.lines.get()).sum(),
                    followers.stream().mapToLong(f -> f.newLines.get()).sum(), count("proxy"),
                    proxies.stream().mapToLong(p -> p.oldVersion.get()).sum(),
                    proxies.stream().mapToLong(p -> p.newVersion.get()).sum(), outcome.end().state(),
                    outcome.events().size(), outcome.events().size() - 1, errors.size());

            assertThat(errors).as("errors under load").isEmpty();
            assertThat(outcome.end().state()).isEqualTo(Update.State.SUCCEEDED);
            assertThat(outcome.events()).extracting(UpdateEvent::sequence)
                    .as("the update's events, contiguous from 0").containsExactlyElementsOf(
                            java.util.stream.LongStream.range(0, outcome.events().size()).boxed().toList());
            assertThat(outcome.events().getLast().phase()).isEqualTo("done");
            assertThat(outcome.events()).as("the stream holds what the update recorded")
                    .isEqualTo(outcome.recorded());
            for (StatusStreamClient stream : statusStreams) {
                assertThat(stream.last.get().state()).as("the last status streamed").isEqualTo(Status.State.RUNNING);
            }
        } finally {
            stop.set(true);
            closeSubscriptions();
            pool.shutdownNow();
        }
    }

    private record UpdateOutcome(List<UpdateEvent> events, UpdateFeed.End end, List<UpdateEvent> recorded) {
    }

    private UpdateOutcome update(ControlPlaneClient api) throws Exception {
        UpdateStarted started = api.update(new UpdateRequest(List.of(), Map.of("MARKER", "v2"), DEFINITION));
        List<UpdateEvent> events = new ArrayList<>();
        UpdateFeed.End end = null;
        try (EventSubscription<UpdateFeed> feed = api.updateEvents(started.id())) {
            subscriptions.add(feed);
            UpdateFeed next;
            while ((next = feed.next()) != null) {
                if (next instanceof UpdateFeed.Progress progress) {
                    events.add(progress.event());
                } else if (next instanceof UpdateFeed.End ended) {
                    end = ended;
                }
            }
        }
        assertThat(end).as("the update's stream ended with its outcome after " + events).isNotNull();
        return new UpdateOutcome(events, end, api.updateView(started.id()).events());
    }

    /** GET /api/v1/status in a loop: 200 with a stack status every time. */
    private void readStatus(URI base, String token) {
        HttpClient http = http();
        HttpRequest request = HttpRequest.newBuilder(base.resolve("/api/v1/status"))
                .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(30)).GET().build();
        for (int i = 0; i < MAX_REQUESTS_PER_CLIENT && running(); i++) {
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                counter("status").incrementAndGet();
                if (response.statusCode() != 200) {
                    error("status: " + response.statusCode() + " " + response.body());
                } else if (Json.MAPPER.readValue(response.body(), Status.class).type() != Status.Type.STACK) {
                    error("status: not a stack status: " + response.body());
                }
                pause(100);
            } catch (IOException e) {
                error("status: " + e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Follows the status stream; the roll is seen when UPDATING is followed by RUNNING with only new tasks' lines. */
    private final class StatusStreamClient {
        private final ControlPlaneClient api;
        private final CountDownLatch opened;
        final AtomicLong events = new AtomicLong();
        final List<String> transitions = Collections.synchronizedList(new ArrayList<>());
        final AtomicReference<Status> last = new AtomicReference<>();
        private volatile boolean updating;
        private volatile boolean rolled;

        StatusStreamClient(ControlPlaneClient api, CountDownLatch opened) {
            this.api = api;
            this.opened = opened;
        }

        boolean sawTheRoll() {
            return rolled;
        }

        void run() {
            try (EventSubscription<Status> stream = api.statusEvents()) {
                subscriptions.add(stream);
                opened.countDown();
                Status status;
                while ((status = stream.next()) != null) {
                    events.incrementAndGet();
                    last.set(status);
                    String web = web(status).map(s -> s.state() + " \"" + s.message() + "\"").orElse("-");
                    String seen = status.state() + " web " + web;
                    if (transitions.isEmpty() || !transitions.getLast().equals(seen)) {
                        transitions.add(seen);
                    }
                    if (status.state() == Status.State.UPDATING) {
                        updating = true;
                    } else if (updating && status.state() == Status.State.RUNNING
                            && web(status).filter(s -> s.message().contains("v2")).isPresent()) {
                        rolled = true;
                    }
                }
                if (!stop.get()) {
                    error("status stream: the controller ended it");
                }
            } catch (IOException e) {
                if (!stop.get()) {
                    error("status stream: " + e);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private static Optional<Status> web(Status stack) {
            return stack.children().stream().filter(c -> c.name().equals("web")).findFirst();
        }
    }

    /** Follows the web service's logs from now on; the new tasks are seen when both printed their start line. */
    private final class LogFollower {
        private final ControlPlaneClient api;
        private final CountDownLatch opened;
        final AtomicLong lines = new AtomicLong();
        final AtomicLong newLines = new AtomicLong();
        final Map<String, Integer> markers = new ConcurrentHashMap<>();

        LogFollower(ControlPlaneClient api, CountDownLatch opened) {
            this.api = api;
            this.opened = opened;
        }

        boolean sawTheNewTasks() {
            return markers.getOrDefault("web up v2", 0) >= 2;
        }

        void run() {
            LogSelection selection = new LogSelection(Optional.of("web"), OptionalInt.of(0), Optional.empty(),
                    LogRequest.Streams.BOTH);
            try (EventSubscription<LogFeed> stream = api.followLogs(selection)) {
                subscriptions.add(stream);
                opened.countDown();
                LogFeed next;
                while ((next = stream.next()) != null) {
                    if (next instanceof LogFeed.Line line) {
                        lines.incrementAndGet();
                        String text = line.line().text();
                        if (text.endsWith("v2")) {
                            newLines.incrementAndGet();
                        }
                        if (text.startsWith("web up ")) {
                            markers.merge(text, 1, Integer::sum);
                        }
                    } else if (next instanceof LogFeed.End end && !stop.get()) {
                        error("log follow: the logs ended: \"" + end.error() + "\"");
                    }
                }
                if (!stop.get()) {
                    error("log follow: the controller ended the stream");
                }
            } catch (IOException e) {
                if (!stop.get()) {
                    error("log follow: " + e);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** GET / through the gateway route in a loop: 200 from an old task ("web v1") or a new one ("web v2"). */
    private final class ProxyClient {
        private final URI base;
        final AtomicLong oldVersion = new AtomicLong();
        final AtomicLong newVersion = new AtomicLong();

        ProxyClient(URI base) {
            this.base = base;
        }

        void run() {
            HttpClient http = http();
            HttpRequest request = HttpRequest.newBuilder(base.resolve("/")).timeout(Duration.ofSeconds(30)).GET().build();
            for (int i = 0; i < MAX_REQUESTS_PER_CLIENT && running(); i++) {
                try {
                    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                    counter("proxy").incrementAndGet();
                    if (response.statusCode() == 200 && response.body().equals("web v1\n")) {
                        oldVersion.incrementAndGet();
                    } else if (response.statusCode() == 200 && response.body().equals("web v2\n")) {
                        newVersion.incrementAndGet();
                    } else {
                        error("proxy: " + response.statusCode() + " " + response.body());
                    }
                    pause(25);
                } catch (IOException e) {
                    error("proxy: " + e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Waits until the route answers from the first tasks and the stack is idle. */
    private void awaitServing(URI base, URI admin, String token) {
        HttpClient http = http();
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            HttpResponse<String> web = http.send(HttpRequest.newBuilder(base.resolve("/"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(web.statusCode()).as(web.body()).isEqualTo(200);
            assertThat(web.body()).isEqualTo("web v1\n");
            assertThat(new ControlPlaneClient(admin, token).status().state()).isEqualTo(Status.State.RUNNING);
        });
    }

    private volatile Instant loadStarted = Instant.now();
    private volatile String phase = "before the update";

    /** Records an error with when it happened, relative to the update. */
    private void error(String what) {
        errors.add("[" + Duration.between(loadStarted, Instant.now()).toMillis() + " ms, " + phase + "] " + what);
    }

    private boolean running() {
        return !stop.get() && Instant.now().isBefore(hardStop);
    }

    private AtomicLong counter(String kind) {
        return requests.computeIfAbsent(kind, k -> new AtomicLong());
    }

    private long count(String kind) {
        return counter(kind).get();
    }

    private void closeSubscriptions() {
        for (AutoCloseable subscription : subscriptions) {
            try {
                subscription.close();
            } catch (Exception ignored) {
                // hanging up is all that is wanted
            }
        }
    }

    private static void pause(long millis) throws InterruptedException {
        Thread.sleep(millis);
    }

    private static HttpClient http() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    }

    private record Run(int code, String output) {
    }

    private static Run cli(Path home, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
        CliEnvironment env = new CliEnvironment(Map.of(), home, print, print, new BufferedReader(new StringReader("")),
                false, 0);
        int code = Main.commandLine(env).execute(args);
        String output = out.toString(StandardCharsets.UTF_8);
        System.out.println("[load] ailtire-swarm " + String.join(" ", args) + " -> " + code + "\n" + output);
        return new Run(code, output);
    }
}
