package org.ailtire.swarm.stack;

import com.github.dockerjava.api.DockerClient;
import org.ailtire.stack.LogLine;
import org.ailtire.stack.LogSink;
import org.ailtire.swarm.DockerClients;
import org.ailtire.swarm.logs.LogQuery;
import org.ailtire.swarm.logs.ServiceLogs;
import org.ailtire.swarm.testsupport.StalledEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

class EngineLogReaderTest {
    @TempDir
    Path temp;

    /** The caller may be the event loop: opening a follow (inspect, logs, events) must not make it wait for the engine. */
    @Test
    void aFollowIsOpenedOffTheCallersThreadAndAStalledEngineEndsIt() throws Exception {
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try (StalledEngine engine = new StalledEngine(temp.resolve("engine.sock"), Duration.ofMinutes(1));
             DockerClient docker = DockerClients.connect(engine.uri(), Duration.ofMillis(500))) {
            CompletableFuture<Throwable> ended = new CompletableFuture<>();
            EngineLogReader reader = new EngineLogReader(new ServiceLogs(docker), executor);
            // The preemptive timeout only keeps a regression from hanging the build.
            AutoCloseable follow = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> reader.read(
                    List.of("ns_web"), "ns", LogQuery.all().withTail(1), true, new LogSink() {
                        @Override
                        public void line(LogLine line) {
                        }

                        @Override
                        public void end(Throwable failure) {
                            ended.complete(failure);
                        }
                    }));
            assertThat(ended).as("the caller got the handle before the engine was asked").isNotDone();
            assertThat(ended.get(30, TimeUnit.SECONDS)).hasRootCauseInstanceOf(SocketTimeoutException.class);
            follow.close();
        } finally {
            executor.shutdownNow();
        }
    }
}
