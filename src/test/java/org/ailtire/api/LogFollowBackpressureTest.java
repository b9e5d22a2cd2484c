package org.ailtire.api;

import org.ailtire.stack.FakeStack;
import org.ailtire.stack.LogLine;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A followed log whose reader does not read holds its source back instead of queueing every line in memory. */
class LogFollowBackpressureTest extends ControlPlaneTestBase {
    private static final int LINES = 200_000;
    private final AtomicInteger delivered = new AtomicInteger();
    private final AtomicReference<Thread> source = new AtomicReference<>();

    LogFollowBackpressureTest() {
        super(ServerSettings.ONE_MIB);
    }

    @Override
    protected void prepare(FakeStack stack) {
        String text = "x".repeat(100);
        stack.followSource = sink -> {
            source.set(Thread.currentThread());
            for (int i = 0; i < LINES; i++) {
                sink.line(new LogLine("web", LogLine.Stream.STDOUT, Instant.EPOCH, text));
                delivered.incrementAndGet();
            }
        };
    }

    @Test
    void aReaderThatDoesNotReadHoldsTheSourceBack() throws Exception {
        HttpResponse<InputStream> response = http.send(req("/api/v1/logs?service=web&follow=true").GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(20)).until(() -> source.get() != null
                && source.get().getState() == Thread.State.TIMED_WAITING);
        assertThat(delivered.get()).as("lines taken before the source was held back").isLessThan(LINES);
        response.body().close();
        // Once the reader is gone, the source is let go (its lines are dropped) and runs to its end.
        await().atMost(Duration.ofSeconds(30)).until(() -> delivered.get() == LINES);
    }
}
