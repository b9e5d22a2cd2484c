package org.ailtire.swarm;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import com.github.dockerjava.transport.DockerHttpClient;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Opens the Engine API client. The host comes from {@code DOCKER_HOST} (default the local unix socket); no API
 * version is pinned, so the engine's own is used (Debian's engine speaks 1.41).
 *
 * <p>Every call but the long-lived streams has a response timeout ({@link #RESPONSE_TIMEOUT}: that long without a
 * byte from the engine, before the answer's head or within its body), so a stalled engine fails the call instead of
 * hanging an update or the shutdown. Streams
 * (events, followed logs, attach, wait, pulls and pushes) may stay quiet for long: they go through a second connection
 * pool without that timeout ({@link Streams}).
 */
public final class DockerClients {
    public static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(60);

    private DockerClients() {
    }

    public static DockerClient connect() {
        return connect(DefaultDockerClientConfig.createDefaultConfigBuilder().build(), RESPONSE_TIMEOUT);
    }

    /** Talks to the engine that {@code DOCKER_HOST} in {@code environment} names, the local socket without it. */
    public static DockerClient connect(Map<String, String> environment) {
        String host = environment.get("DOCKER_HOST");
        return host == null || host.isBlank() ? connect() : connect(URI.create(host));
    }

    /** Talks to the engine at {@code dockerHost}, e.g. {@code unix:///var/run/docker.sock} or {@code tcp://host:2375}. */
    public static DockerClient connect(URI dockerHost) {
        return connect(dockerHost, RESPONSE_TIMEOUT);
    }

    /** @param responseTimeout how long a call other than a stream may go without a byte from the engine */
    public static DockerClient connect(URI dockerHost, Duration responseTimeout) {
        return connect(DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost(dockerHost.toString())
                .build(), responseTimeout);
    }

    private static DockerClient connect(DefaultDockerClientConfig config, Duration responseTimeout) {
        DockerHttpClient calls = http(config, 64).responseTimeout(responseTimeout).build();
        DockerHttpClient streams = http(config, 64).build();
        return DockerClientImpl.getInstance(config, new Streams(calls, streams, responseTimeout));
    }

    private static ApacheDockerHttpClient.Builder http(DefaultDockerClientConfig config, int maxConnections) {
        return new ApacheDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost())
                .sslConfig(config.getSSLConfig())
                .maxConnections(maxConnections)
                .connectionTimeout(CONNECTION_TIMEOUT);
    }

    /**
     * Sends the Engine API's streaming requests to the pool without a response timeout, all others to the one with.
     * The transport's response timeout is a socket timeout, which docker-java's unix socket does not honour; so a call
     * also has a watchdog that interrupts it (its socket is an interruptible channel) when the engine has sent nothing
     * for the timeout, while waiting for the answer or reading its body, and the call fails with a
     * {@link SocketTimeoutException}.
     */
    static final class Streams implements DockerHttpClient {
        private static final Pattern STREAM = Pattern.compile("^(/v[0-9.]+)?/(events"
                + "|(services|tasks|containers)/[^/?]+/logs\\?(.*&)?follow=(1|true)(&.*)?"
                + "|containers/[^/?]+/(attach|wait)|exec/[^/?]+/start|images/create|images/.+/push|build)([/?].*)?$");
        private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("engine-call-watchdog").daemon().factory());

        private final DockerHttpClient calls;
        private final DockerHttpClient streams;
        private final Duration timeout;

        Streams(DockerHttpClient calls, DockerHttpClient streams, Duration timeout) {
            this.calls = calls;
            this.streams = streams;
            this.timeout = timeout;
        }

        static boolean isStream(String path) {
            return STREAM.matcher(path).matches();
        }

        @Override
        public Response execute(Request request) {
            if (isStream(request.path())) {
                return streams.execute(request);
            }
            String call = request.method() + " " + request.path();
            Watch watch = new Watch(timeout);
            watch.enter();
            Response response = null;
            RuntimeException failure = null;
            try {
                response = calls.execute(request);
            } catch (RuntimeException e) {
                failure = e;
            }
            if (!watch.exit()) {
                if (response == null) {
                    watch.end();
                    throw failure;
                }
                return new WatchedResponse(response, watch, call);
            }
            if (response != null) {
                response.close();
            }
            throw new UncheckedIOException(new SocketTimeoutException("the engine did not answer " + call
                    + " within " + timeout.toMillis() + " ms"));
        }

        @Override
        public void close() throws IOException {
            try {
                calls.close();
            } finally {
                streams.close();
            }
        }

        /**
         * One call's watchdog: interrupts the thread blocked in the call (waiting for the answer's head, or in one read
         * of its body) once the engine has sent nothing for the timeout. A thread not blocked in the call is never
         * interrupted; the watch ends once the body is read to its end or the answer closed (docker-java closes
         * every answer).
         */
        private static final class Watch {
            private final long timeoutNanos;
            private Thread blocked;
            private long lastProgress = System.nanoTime();
            private boolean done;
            private boolean fired;
            private ScheduledFuture<?> pending;

            Watch(Duration timeout) {
                this.timeoutNanos = timeout.toNanos();
                schedule(timeoutNanos);
            }

            private synchronized void schedule(long delayNanos) {
                pending = WATCHDOG.schedule(this::check, delayNanos, TimeUnit.NANOSECONDS);
            }

            private synchronized void check() {
                if (done) {
                    return;
                }
                long quiet = System.nanoTime() - lastProgress;
                if (blocked == null) {
                    schedule(timeoutNanos);
                } else if (quiet < timeoutNanos) {
                    schedule(timeoutNanos - quiet);
                } else {
                    fired = true;
                    done = true;
                    blocked.interrupt();
                }
            }

            /** The calling thread blocks on the engine now: the engine has the timeout from now on to send a byte. */
            synchronized void enter() {
                blocked = Thread.currentThread();
                lastProgress = System.nanoTime();
            }

            /**
             * The calling thread is back from the engine, with something or not.
             *
             * @return whether the watchdog fired (its interrupt is then cleared from the calling thread)
             */
            synchronized boolean exit() {
                blocked = null;
                lastProgress = System.nanoTime();
                if (fired) {
                    Thread.interrupted();
                }
                return fired;
            }

            synchronized void end() {
                done = true;
                pending.cancel(false);
            }
        }

        /** An answer whose body is read under its call's {@link Watch}. */
        private static final class WatchedResponse implements Response {
            private final Response response;
            private final Watch watch;
            private final String call;
            private InputStream body;

            WatchedResponse(Response response, Watch watch, String call) {
                this.response = response;
                this.watch = watch;
                this.call = call;
            }

            @Override
            public int getStatusCode() {
                return response.getStatusCode();
            }

            @Override
            public Map<String, List<String>> getHeaders() {
                return response.getHeaders();
            }

            @Override
            public synchronized InputStream getBody() {
                if (body == null) {
                    body = new WatchedBody(response.getBody());
                }
                return body;
            }

            @Override
            public void close() {
                watch.end();
                response.close();
            }

            @FunctionalInterface
            private interface Read {
                int read() throws IOException;
            }

            private final class WatchedBody extends FilterInputStream {
                WatchedBody(InputStream in) {
                    super(in);
                }

                @Override
                public int read() throws IOException {
                    return watched(super::read);
                }

                @Override
                public int read(byte[] buffer, int offset, int length) throws IOException {
                    return watched(() -> super.read(buffer, offset, length));
                }

                /** One read under the watch: a negative answer is the body's end, which ends the watch too. */
                private int watched(Read read) throws IOException {
                    watch.enter();
                    int n;
                    try {
                        n = read.read();
                    } catch (IOException e) {
                        throw stalledOr(e);
                    }
                    checkNotStalled();
                    if (n < 0) {
                        watch.end();
                    }
                    return n;
                }

                @Override
                public void close() throws IOException {
                    watch.end();
                    super.close();
                }

                private void checkNotStalled() throws SocketTimeoutException {
                    if (watch.exit()) {
                        throw stalled();
                    }
                }

                private IOException stalledOr(IOException failure) {
                    return watch.exit() ? stalled() : failure;
                }

                private SocketTimeoutException stalled() {
                    return new SocketTimeoutException("the engine stopped sending its answer to " + call
                            + ": nothing within " + watch.timeoutNanos / 1_000_000 + " ms");
                }
            }
        }
    }
}
