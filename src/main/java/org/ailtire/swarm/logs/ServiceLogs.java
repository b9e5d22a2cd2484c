package org.ailtire.swarm.logs;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.LogSwarmObjectCmd;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.model.EventType;
import com.github.dockerjava.api.model.Frame;

import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Standard output and standard error of a swarm service, line by line and kept apart, from the Engine's service
 * log endpoint (which merges the logs of all the service's tasks).
 */
public final class ServiceLogs {
    /** The widest tail a read asks the engine for: a tail of one stream among many lines of the other ends here. */
    public static final int MAX_ENGINE_TAIL = 100_000;

    private static final Comparator<LogLine> BY_TIME = Comparator.comparing(LogLine::timestamp,
            Comparator.nullsFirst(Comparator.naturalOrder()));

    private final DockerClient docker;

    public ServiceLogs(DockerClient docker) {
        this.docker = docker;
    }

    /**
     * The lines the service has logged so far, oldest first (ordered by timestamp across tasks).
     *
     * @throws NoSuchServiceException when there is no such service
     */
    public List<LogLine> read(String serviceIdOrName, LogQuery query) {
        String serviceId = resolve(serviceIdOrName);
        if (query.tail() != null && query.tail() == 0) {
            return List.of();
        }
        if (query.tail() == null) {
            return finish(readOnce(serviceIdOrName, serviceId, query, null).matching, query);
        }
        // The engine counts its tail per task over both streams and whole seconds of since; ask it for both streams
        // and a wider tail until enough lines match, the history is exhausted or the widest tail was read.
        int engineTail = query.tail();
        while (true) {
            Read read = readOnce(serviceIdOrName, serviceId, query, engineTail);
            if (read.matching.size() >= query.tail() || read.received < engineTail || engineTail >= MAX_ENGINE_TAIL) {
                return finish(read.matching, query);
            }
            engineTail = (int) Math.min(MAX_ENGINE_TAIL, engineTail * 4L);
        }
    }

    private record Read(List<LogLine> matching, int received) {
    }

    /** @param engineTail the tail to ask the engine for (both streams), or null for the whole history of the query */
    private Read readOnce(String serviceIdOrName, String serviceId, LogQuery query, Integer engineTail) {
        List<LogLine> lines = new ArrayList<>();
        int[] received = {0};
        LineAssembler assembler = new LineAssembler(serviceId, line -> {
            received[0]++;
            if (matchesSince(line, query) && matchesStream(line, query)) {
                lines.add(line);
            }
        });
        Collector collector = new Collector(assembler);
        LogSwarmObjectCmd cmd = engineTail == null ? command(serviceId, query, false)
                : command(serviceId, query, false).withStdout(true).withStderr(true).withTail(engineTail);
        try {
            cmd.exec(collector).awaitCompletion();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the logs of service " + serviceIdOrName, e);
        } catch (NotFoundException e) {
            throw new NoSuchServiceException(serviceIdOrName, e);
        }
        return new Read(lines, received[0]);
    }

    private static List<LogLine> finish(List<LogLine> lines, LogQuery query) {
        lines.sort(BY_TIME);
        // The engine applies tail per task; the query's tail counts lines of the whole service.
        if (query.tail() != null && lines.size() > query.tail()) {
            return List.copyOf(lines.subList(lines.size() - query.tail(), lines.size()));
        }
        return List.copyOf(lines);
    }

    /**
     * Delivers the lines of the query and then every new line as the service logs it, on a thread of the client,
     * until the returned handle is closed or the service is removed.
     *
     * @throws NoSuchServiceException when there is no such service
     */
    public AutoCloseable follow(String serviceIdOrName, LogQuery query, Consumer<LogLine> sink) {
        String serviceId = resolve(serviceIdOrName);
        LineAssembler assembler = new LineAssembler(serviceId, line -> {
            if (matchesSince(line, query)) {
                sink.accept(line);
            }
        });
        Collector logs = command(serviceId, query, true).exec(new Collector(assembler));
        // The engine keeps a follow stream open after the service is gone; its removal event ends it.
        RemovalWatch removal = docker.eventsCmd()
                .withEventTypeFilter(EventType.SERVICE)
                .withEventFilter("remove")
                .exec(new RemovalWatch(serviceId, logs));
        try {
            // The service may have gone before the watch started.
            docker.inspectServiceCmd(serviceId).exec();
        } catch (NotFoundException e) {
            closeQuietly(logs);
            closeQuietly(removal);
        }
        return () -> {
            closeQuietly(removal);
            closeQuietly(logs);
        };
    }

    /** The most recent line of the service on either stream, if it has logged any. */
    public Optional<LogLine> lastLine(String serviceIdOrName) {
        List<LogLine> lines = read(serviceIdOrName, LogQuery.all().withTail(1));
        return lines.isEmpty() ? Optional.empty() : Optional.of(lines.getLast());
    }

    private LogSwarmObjectCmd command(String serviceId, LogQuery query, boolean follow) {
        LogSwarmObjectCmd cmd = docker.logServiceCmd(serviceId)
                .withStdout(query.stdout())
                .withStderr(query.stderr())
                .withTimestamps(true)
                .withDetails(true)
                .withFollow(follow);
        if (query.since() != null) {
            // The engine takes whole seconds here; the exact instant is applied to the lines' timestamps.
            cmd.withSince((int) query.since().getEpochSecond());
        }
        if (query.tail() != null) {
            // Always bounded: the engine counts the tail per task over both streams, before it drops a stream and
            // before since is applied to the exact instant, so a follow of one stream or since may get fewer lines of
            // history (read() widens the tail until enough match).
            cmd.withTail(query.tail());
        }
        return cmd;
    }

    private String resolve(String serviceIdOrName) {
        if (serviceIdOrName == null || serviceIdOrName.isBlank()) {
            throw new IllegalArgumentException("a service id or name is required");
        }
        try {
            return docker.inspectServiceCmd(serviceIdOrName).exec().getId();
        } catch (NotFoundException e) {
            throw new NoSuchServiceException(serviceIdOrName, e);
        }
    }

    private static boolean matchesStream(LogLine line, LogQuery query) {
        return line.stream() == LogLine.Stream.STDERR ? query.stderr() : query.stdout();
    }

    private static boolean matchesSince(LogLine line, LogQuery query) {
        return query.since() == null || line.timestamp() == null || !line.timestamp().isBefore(query.since());
    }

    private static void closeQuietly(Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException | RuntimeException ignored) {
            // the stream is gone either way
        }
    }

    /** Feeds frames to the assembler and flushes the unfinished lines at the end of the stream. */
    private static final class Collector extends ResultCallback.Adapter<Frame> {
        private final LineAssembler assembler;
        private boolean flushed;

        Collector(LineAssembler assembler) {
            this.assembler = assembler;
        }

        @Override
        public synchronized void onNext(Frame frame) {
            if (!flushed) {
                assembler.accept(frame.getStreamType(), frame.getPayload());
            }
        }

        @Override
        public void onComplete() {
            flushOnce();
            super.onComplete();
        }

        @Override
        public void onError(Throwable throwable) {
            flushOnce();
            super.onError(throwable);
        }

        @Override
        public void close() throws IOException {
            flushOnce();
            super.close();
        }

        private synchronized void flushOnce() {
            if (!flushed) {
                flushed = true;
                assembler.flush();
            }
        }
    }

    /** Ends a follow stream when its service is removed. */
    private static final class RemovalWatch extends ResultCallback.Adapter<Event> {
        private final String serviceId;
        private final Closeable logs;

        RemovalWatch(String serviceId, Closeable logs) {
            this.serviceId = serviceId;
            this.logs = logs;
        }

        @Override
        public void onNext(Event event) {
            if (event.getActor() != null && serviceId.equals(event.getActor().getId())) {
                closeQuietly(logs);
                closeQuietly(this);
            }
        }
    }

}
