package org.ailtire.swarm.logs;

import com.github.dockerjava.api.DockerClient;
import org.ailtire.swarm.DockerClients;
import org.ailtire.swarm.testsupport.StalledEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The tail reaches the engine however the query filters streams or time (a fake engine records the requests). */
class ServiceLogsTailTest {
    @TempDir
    Path temp;
    private StalledEngine engine;
    private DockerClient docker;
    private ServiceLogs logs;

    @BeforeEach
    void start() throws IOException {
        engine = new StalledEngine(temp.resolve("engine.sock"), Duration.ofMinutes(1))
                .answering("/services/web", "{\"ID\":\"svc1\"}").answering("/services/svc1", "{\"ID\":\"svc1\"}");
        docker = DockerClients.connect(engine.uri(), Duration.ofMillis(500));
        logs = new ServiceLogs(docker);
    }

    @AfterEach
    void stop() throws IOException {
        docker.close();
        engine.close();
    }

    @Test
    void aFollowOfOneStreamPassesItsTail() throws Exception {
        try (AutoCloseable ignored = logs.follow("web", LogQuery.all().onlyStdout().withTail(2), line -> { })) {
            await().atMost(Duration.ofSeconds(10)).until(() -> logRequest() != null);
        }
        assertThat(logRequest()).contains("tail=2").contains("follow=true").contains("stdout=true")
                .doesNotContain("stderr=true");
    }

    @Test
    void aFollowWithSincePassesItsTail() throws Exception {
        Instant since = Instant.parse("2026-01-31T12:00:00.5Z");
        try (AutoCloseable ignored = logs.follow("web", LogQuery.all().withSince(since).withTail(5), line -> { })) {
            await().atMost(Duration.ofSeconds(10)).until(() -> logRequest() != null);
        }
        assertThat(logRequest()).contains("tail=5").contains("since=" + since.getEpochSecond());
    }

    @Test
    void aReadOfOneStreamAsksForABoundedTailOfBoth() {
        try {
            logs.read("web", LogQuery.all().onlyStderr().withTail(3));
        } catch (RuntimeException stalled) {
            // the fake engine does not answer the read; only its request matters here
        }
        assertThat(logRequest()).contains("tail=3").contains("stdout=true").contains("stderr=true");
    }

    private String logRequest() {
        return engine.requestLines().stream().filter(line -> line.contains("/logs?")).findFirst().orElse(null);
    }
}
