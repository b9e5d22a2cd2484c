package org.ailtire.swarm.stack;

import org.ailtire.stack.LogSink;
import org.ailtire.swarm.logs.LogLine;
import org.ailtire.swarm.logs.LogQuery;
import org.ailtire.swarm.logs.ServiceLogs;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Executor;

/** Reads or follows the logs of some of a stack's services into an API log sink, off the caller's thread. */
final class EngineLogReader {
    private final ServiceLogs logs;
    private final Executor executor;

    EngineLogReader(ServiceLogs logs, Executor executor) {
        this.logs = logs;
        this.executor = executor;
    }

    AutoCloseable read(List<String> services, String namespace, LogQuery query, boolean follow, LogSink sink) {
        if (follow) {
            // Opening a follow asks the engine (inspect, logs, events): off the caller's thread, which may be the
            // event loop. A handle closed before the streams are open closes each as it opens.
            Streams streams = new Streams();
            executor.execute(() -> {
                for (String service : services) {
                    try {
                        streams.add(logs.follow(service, query,
                                line -> sink.line(SwarmStack.toApi(key(namespace, service), line))));
                    } catch (RuntimeException e) {
                        streams.close();
                        sink.end(e);
                        return;
                    }
                }
            });
            return streams::close;
        }
        executor.execute(() -> {
            try {
                List<org.ailtire.stack.LogLine> lines = new ArrayList<>();
                for (String service : services) {
                    for (LogLine line : logs.read(service, query)) {
                        lines.add(SwarmStack.toApi(key(namespace, service), line));
                    }
                }
                lines.sort(Comparator.comparing(org.ailtire.stack.LogLine::at));
                lines.forEach(sink::line);
                sink.end(null);
            } catch (RuntimeException e) {
                sink.end(e);
            }
        });
        return () -> {
        };
    }

    private static String key(String namespace, String service) {
        return service.startsWith(namespace + "_") ? service.substring(namespace.length() + 1) : service;
    }

    /** The follow streams opened so far; once closed, a stream opened later is closed at once. */
    private static final class Streams {
        private final List<AutoCloseable> open = new ArrayList<>();
        private boolean closed;

        void add(AutoCloseable stream) {
            synchronized (this) {
                if (!closed) {
                    open.add(stream);
                    return;
                }
            }
            closeQuietly(stream);
        }

        void close() {
            List<AutoCloseable> toClose;
            synchronized (this) {
                closed = true;
                toClose = new ArrayList<>(open);
                open.clear();
            }
            toClose.forEach(Streams::closeQuietly);
        }

        private static void closeQuietly(AutoCloseable stream) {
            try {
                stream.close();
            } catch (Exception ignored) {
                // the stream is gone either way
            }
        }
    }
}
