package org.ailtire.swarm;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import com.github.dockerjava.transport.DockerHttpClient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;
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
 * byte from the engine), so a stalled engine fails the call instead of hanging an update or the shutdown. Streams
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
    public static DockerClient connect(java.util.Map<String, String> environment) {
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
     * also has a watchdog that interrupts it (its socket is an interruptible channel) when the engine has not answered
     * within the timeout, and the call fails with a {@link SocketTimeoutException}.
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
            Watch watch = new Watch(Thread.currentThread());
            watch.armed = WATCHDOG.schedule(watch::fire, timeout.toMillis(), TimeUnit.MILLISECONDS);
            Response response = null;
            RuntimeException failure = null;
            try {
                response = calls.execute(request);
            } catch (RuntimeException e) {
                failure = e;
            }
            if (!watch.disarm()) {
                return response != null ? response : throwing(failure);
            }
            if (response != null) {
                response.close();
            }
            throw new UncheckedIOException(new SocketTimeoutException("the engine did not answer " + request.method()
                    + " " + request.path() + " within " + timeout.toMillis() + " ms"));
        }

        private static Response throwing(RuntimeException failure) {
            throw failure;
        }

        @Override
        public void close() throws IOException {
            try {
                calls.close();
            } finally {
                streams.close();
            }
        }

        /** One call's watchdog: interrupts the calling thread once, only while the call runs. */
        private static final class Watch {
            private final Thread caller;
            private boolean done;
            private boolean fired;
            volatile ScheduledFuture<?> armed;

            Watch(Thread caller) {
                this.caller = caller;
            }

            synchronized void fire() {
                if (!done) {
                    fired = true;
                    caller.interrupt();
                }
            }

            /** @return whether the watchdog fired (its interrupt is then cleared from the calling thread) */
            synchronized boolean disarm() {
                done = true;
                armed.cancel(false);
                if (fired) {
                    Thread.interrupted();
                }
                return fired;
            }
        }
    }
}
