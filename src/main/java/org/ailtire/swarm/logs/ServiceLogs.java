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
        List<LogLine> lines = new ArrayList<>();
        LineAssembler assembler = new LineAssembler(serviceId, line -> {
            if (matchesSince(line, query)) {
                lines.add(line);
            }
        });
        Collector collector = new Collector(assembler);
        try {
            command(serviceId, query, false).exec(collector).awaitCompletion();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the logs of service " + serviceIdOrName, e);
        } catch (NotFoundException e) {
            throw new NoSuchServiceException(serviceIdOrName, e);
        }
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
        } else if (query.tail() != null && query.stdout() && query.stderr()) {
            // The engine counts the tail per task over both streams before it drops a stream, and before since
            // is applied to the exact instant; in those cases read() applies the tail itself.
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
