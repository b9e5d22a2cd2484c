package org.ailtire.swarm.logs;

import org.ailtire.swarm.testsupport.BusyboxService;
import org.ailtire.swarm.testsupport.TestSwarm;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

@Tag("integration")
class ServiceLogsIT {
    /** Prints known lines to both streams, then stays up. */
    private static final String PRINTS_KNOWN_LINES =
            "echo out-1; echo err-1 >&2; echo out-2; echo err-2 >&2; echo out-3; while true; do sleep 1; done";

    private final TestSwarm swarm = TestSwarm.create("logs");
    private final ServiceLogs logs = new ServiceLogs(swarm.docker());

    @AfterEach
    void cleanUp() {
        try {
            swarm.removeAll();
            assertThat(swarm.leftovers()).isEmpty();
        } finally {
            swarm.close();
        }
    }

    @Test
    void readSeparatesStdoutFromStderr() {
        String id = BusyboxService.create(swarm, "printer", 1, PRINTS_KNOWN_LINES);
        awaitLines(id, 5);

        List<LogLine> all = logs.read(swarm.namespace() + "_printer", LogQuery.all());

        assertThat(all).extracting(LogLine::stream, LogLine::text).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple(LogLine.Stream.STDOUT, "out-1"),
                org.assertj.core.groups.Tuple.tuple(LogLine.Stream.STDERR, "err-1"),
                org.assertj.core.groups.Tuple.tuple(LogLine.Stream.STDOUT, "out-2"),
                org.assertj.core.groups.Tuple.tuple(LogLine.Stream.STDERR, "err-2"),
                org.assertj.core.groups.Tuple.tuple(LogLine.Stream.STDOUT, "out-3"));
        assertThat(all).allSatisfy(line -> {
            assertThat(line.service()).isEqualTo(id);
            assertThat(line.timestamp()).isNotNull();
        });
        assertThat(all).extracting(LogLine::timestamp).isSorted();
        assertThat(logs.read(id, LogQuery.all().onlyStdout())).extracting(LogLine::text)
                .containsExactly("out-1", "out-2", "out-3");
        assertThat(logs.read(id, LogQuery.all().onlyStderr())).extracting(LogLine::text)
                .containsExactly("err-1", "err-2");
    }

    @Test
    void tailSinceAndLastLine() {
        String id = BusyboxService.create(swarm, "printer", 1, PRINTS_KNOWN_LINES);
        awaitLines(id, 5);
        List<LogLine> all = logs.read(id, LogQuery.all());

        assertThat(logs.read(id, LogQuery.all().onlyStdout().withTail(2))).extracting(LogLine::text)
                .containsExactly("out-2", "out-3");
        assertThat(logs.read(id, LogQuery.all().withTail(0))).isEmpty();
        Instant third = all.get(2).timestamp();
        assertThat(logs.read(id, LogQuery.all().withSince(third))).isEqualTo(all.subList(2, 5));
        assertThat(logs.read(id, LogQuery.all().withSince(third).withTail(1))).isEqualTo(all.subList(4, 5));
        assertThat(logs.lastLine(id)).hasValue(all.get(4));
    }

    @Test
    void lastLineOfAServiceThatLoggedNothingIsEmpty() {
        String id = BusyboxService.create(swarm, "quiet", 1, "while true; do sleep 1; done");
        assertThat(logs.lastLine(id)).isEmpty();
    }

    @Test
    void followDeliversLinesPrintedLaterUntilClosed() throws Exception {
        String id = BusyboxService.create(swarm, "ticker", 1,
                "i=0; while true; do i=$((i+1)); echo tick-$i; echo tock-$i >&2; sleep 0.2; done");
        awaitLines(id, 2);
        Instant followStarted = Instant.now();
        List<LogLine> received = new CopyOnWriteArrayList<>();

        try (AutoCloseable ignored = logs.follow(id, LogQuery.all().withTail(0), received::add)) {
            await().atMost(Duration.ofSeconds(20)).until(() -> received.stream()
                    .filter(l -> l.stream() == LogLine.Stream.STDERR).count() >= 5);
        }
        assertThat(received).allSatisfy(l -> assertThat(l.timestamp()).isAfter(followStarted.minusSeconds(1)));
        assertThat(received).filteredOn(l -> l.stream() == LogLine.Stream.STDOUT)
                .allSatisfy(l -> assertThat(l.text()).startsWith("tick-"));
        assertThat(received).filteredOn(l -> l.stream() == LogLine.Stream.STDERR)
                .allSatisfy(l -> assertThat(l.text()).startsWith("tock-"));
        int afterClose = received.size();
        Thread.sleep(1000);
        assertThat(received).hasSize(afterClose);
    }

    @Test
    void followEndsWhenTheServiceIsRemoved() {
        String id = BusyboxService.create(swarm, "ticker", 1, "while true; do echo tick; sleep 0.2; done");
        awaitLines(id, 1);
        List<LogLine> received = new CopyOnWriteArrayList<>();
        logs.follow(id, LogQuery.all().withTail(0), received::add);
        await().atMost(Duration.ofSeconds(20)).until(() -> !received.isEmpty());

        swarm.docker().removeServiceCmd(id).exec();

        // Once the stream has ended, nothing more arrives even though the container may log a little longer.
        await().atMost(Duration.ofSeconds(20)).pollDelay(Duration.ofSeconds(1)).until(() -> {
            int before = received.size();
            Thread.sleep(1000);
            return received.size() == before;
        });
    }

    @Test
    void aLineLongerThanALogFrameArrivesWhole() {
        String id = BusyboxService.create(swarm, "long", 1,
                "head -c 20000 /dev/zero | tr '\\0' x; echo; echo after; while true; do sleep 1; done");
        awaitLines(id, 2);

        List<LogLine> lines = logs.read(id, LogQuery.all());

        assertThat(lines).hasSize(2);
        assertThat(lines.get(0).text()).hasSize(20000).matches("x+");
        assertThat(lines.get(1).text()).isEqualTo("after");
    }

    @Test
    void anUnknownServiceIsNamedInTheError() {
        assertThatThrownBy(() -> logs.read(swarm.namespace() + "_missing", LogQuery.all()))
                .isInstanceOf(NoSuchServiceException.class)
                .hasMessageContaining(swarm.namespace() + "_missing");
        assertThatThrownBy(() -> logs.follow("no-such-service-x", LogQuery.all(), line -> { }))
                .isInstanceOf(NoSuchServiceException.class)
                .hasMessageContaining("no-such-service-x");
    }

    private void awaitLines(String serviceId, int count) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300))
                .until(() -> logs.read(serviceId, LogQuery.all()).size() >= count);
    }
}
