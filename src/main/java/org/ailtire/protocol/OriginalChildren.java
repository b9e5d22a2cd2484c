package org.ailtire.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import org.ailtire.stack.ChildCommands;
import org.ailtire.stack.ChildLogs;
import org.ailtire.stack.ChildRegistry;
import org.ailtire.stack.LogLine;
import org.ailtire.stack.LogRequest;
import org.ailtire.stack.LogSink;
import org.ailtire.stack.NoSuchServiceException;
import org.ailtire.stack.Registration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A parent's side of its original (Node.js) ailtire child stacks, through {@link OriginalSidecarClient}. They send
 * nothing: every {@link #pollEvery} their {@code GET /_admin/status} is read, all of them side by side (one virtual
 * thread each, each call within the client's timeout), as their heartbeat and status (see {@link OriginalStatusTree});
 * a poll that fails marks the child unreachable. The last document of each is kept: logs of a path below a child are
 * read from the task key it names there, and its namespaces are what must be gone after its shutdown.
 */
public final class OriginalChildren implements ChildCommands, ChildLogs, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OriginalChildren.class);
    /** How often the original polls its own children, and so how often a parent of ours polls an original child. */
    public static final Duration POLL_EVERY = Duration.ofSeconds(10);

    private final ChildRegistry registry;
    private final OriginalSidecarClient client;
    private final Duration pollEvery;
    private final Clock clock;
    private final Map<String, JsonNode> documents = new ConcurrentHashMap<>();
    private final Set<String> polledOnce = ConcurrentHashMap.newKeySet();
    private final CountDownLatch closed = new CountDownLatch(1);
    private Thread polling;

    public OriginalChildren(ChildRegistry registry, OriginalSidecarClient client, Duration pollEvery, Clock clock) {
        this.registry = registry;
        this.client = client;
        this.pollEvery = pollEvery;
        this.clock = clock;
    }

    /** Polls in the background until closed; a child is polled at once when it registers. */
    public synchronized void start() {
        if (polling != null) {
            return;
        }
        registry.addListener(() -> registry.children().stream()
                .filter(c -> c.registration().isOriginal() && polledOnce.add(c.registration().name()))
                .forEach(c -> Thread.ofVirtual().start(() -> poll(c.registration()))));
        polling = Thread.ofVirtual().name("original-children-poll").start(() -> {
            try {
                while (!closed.await(pollEvery.toMillis(), TimeUnit.MILLISECONDS)) {
                    pollAll();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    /** One round: every registered original child's status, side by side; returns once all answered or failed. */
    public void pollAll() throws InterruptedException {
        List<Thread> polls = new ArrayList<>();
        for (ChildRegistry.Child child : registry.children()) {
            if (child.registration().isOriginal()) {
                polls.add(Thread.ofVirtual().start(() -> poll(child.registration())));
            }
        }
        for (Thread poll : polls) {
            poll.join();
        }
    }

    private void poll(Registration child) {
        try {
            JsonNode document = client.status(URI.create(child.url()));
            documents.put(child.name(), document);
            registry.report(child.name(), OriginalStatusTree.toStatus(child.name(), child.url(), document,
                    clock.instant()));
        } catch (IOException e) {
            registry.unreachable(child.name(), "Network Error: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The engine namespaces the original child's tree ran when it was last polled (its own stack's and its children's,
     * to any depth); empty when it never answered.
     */
    public Set<String> namespaces(String child) {
        JsonNode document = documents.get(child);
        return document == null ? Set.of() : OriginalStatusTree.namespaces(document);
    }

    /** {@code GET /_admin/shutdown}: the original removes its stack, answers, and exits. */
    @Override
    public CompletableFuture<Void> shutdown(Registration child) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                String answer = client.shutdown(URI.create(child.url()));
                LOG.info("original child {} shut down: {}", child.name(), answer.strip());
                done.complete(null);
            } catch (IOException | RuntimeException e) {
                done.completeExceptionally(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                done.completeExceptionally(e);
            }
        });
        return done;
    }

    /**
     * The lines of one task below the child ({@code bottom-1/echo-1}, or {@code bottom-1/echo} for its first task),
     * or of all of them: the original's {@code /_admin/log} of each task key its last document names. The original
     * keeps no times and cannot follow: the lines are read once, the last {@code tail} of each stream kept.
     */
    @Override
    public AutoCloseable forward(Registration child, LogRequest request, LogSink sink) {
        Thread reading = Thread.ofVirtual().start(() -> {
            try {
                JsonNode document = documents.get(child.name());
                if (document == null) {
                    document = client.status(URI.create(child.url()));
                    documents.put(child.name(), document);
                }
                Map<String, String> tasks;
                if (request.service().isPresent()) {
                    String path = request.service().get();
                    String key = OriginalStatusTree.taskKey(document, path)
                            .orElseThrow(() -> new NoSuchServiceException(child.name() + "/" + path));
                    tasks = Map.of(path, key);
                } else {
                    tasks = new LinkedHashMap<>(OriginalStatusTree.tasks(document));
                }
                for (Map.Entry<String, String> task : tasks.entrySet()) {
                    OriginalSidecarClient.Logs logs = client.log(URI.create(child.url()), task.getValue());
                    String service = child.name() + "/" + task.getKey();
                    if (request.streams() != LogRequest.Streams.STDERR) {
                        last(logs.stdout(), request.tail()).forEach(text ->
                                sink.line(new LogLine(service, LogLine.Stream.STDOUT, null, text)));
                    }
                    if (request.streams() != LogRequest.Streams.STDOUT) {
                        last(logs.stderr(), request.tail()).forEach(text ->
                                sink.line(new LogLine(service, LogLine.Stream.STDERR, null, text)));
                    }
                }
                sink.end(null);
            } catch (IOException | RuntimeException e) {
                sink.end(e);
            } catch (InterruptedException e) {
                sink.end(e);
            }
        });
        return reading::interrupt;
    }

    private static List<String> last(List<String> lines, int tail) {
        return lines.subList(Math.max(0, lines.size() - tail), lines.size());
    }

    /** Forgets a child's document (it is gone). */
    public void forget(String child) {
        documents.remove(child);
        polledOnce.remove(child);
    }

    /** What the last poll of {@code child} read, if any. */
    public Optional<JsonNode> document(String child) {
        return Optional.ofNullable(documents.get(child));
    }

    @Override
    public void close() {
        closed.countDown();
        Thread thread;
        synchronized (this) {
            thread = polling;
        }
        if (thread != null) {
            thread.interrupt();
        }
        client.close();
    }
}
