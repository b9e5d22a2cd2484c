package org.ailtire.swarm.logs;

import com.github.dockerjava.api.model.StreamType;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.ailtire.swarm.logs.LogLine.Stream.STDERR;
import static org.ailtire.swarm.logs.LogLine.Stream.STDOUT;
import static org.assertj.core.api.Assertions.assertThat;

class LineAssemblerTest {
    private static final String T1 = "2026-11-25T20:35:06.000000001Z";
    private static final String T2 = "2026-11-25T20:35:07.000000002Z";

    private final List<LogLine> lines = new ArrayList<>();
    private final LineAssembler assembler = new LineAssembler("svc", lines::add);

    @Test
    void aLineThatNeverEndsIsCutAtTheLimitInsteadOfGrowing() {
        String chunk = "x".repeat(16 * 1024);
        for (int i = 0; i < 10; i++) {
            assembler.accept(StreamType.STDOUT, bytes(T1 + " " + details("t1") + " " + chunk));
        }
        assertThat(lines).hasSize(2).allSatisfy(line -> {
            assertThat(line.text()).hasSize(LineAssembler.MAX_LINE_BYTES);
            assertThat(line.timestamp()).isEqualTo(Instant.parse(T1));
        });
        assembler.accept(StreamType.STDOUT, bytes(T1 + " " + details("t1") + " end\n"));
        assertThat(lines).hasSize(3).last().satisfies(line -> assertThat(line.text()).isEqualTo(chunk + chunk + "end"));
    }

    @Test
    void oneMessagePerFrame() {
        assembler.accept(StreamType.STDOUT, bytes(T1 + " " + details("t1") + " out-1\n"));
        assembler.accept(StreamType.STDERR, bytes(T2 + " " + details("t1") + " err-1\n"));

        assertThat(lines).containsExactly(
                new LogLine("svc", "t1", STDOUT, Instant.parse(T1), "out-1"),
                new LogLine("svc", "t1", STDERR, Instant.parse(T2), "err-1"));
    }

    @Test
    void partialMessagesJoinIntoOneLineWithTheFirstTimestamp() {
        assembler.accept(StreamType.STDOUT, bytes(T1 + " " + details("t1") + " aaa"));
        assembler.accept(StreamType.STDOUT, bytes(T2 + " " + details("t1") + " bbb"));
        assertThat(lines).isEmpty();

        assembler.accept(StreamType.STDOUT, bytes(T2 + " " + details("t1") + " ccc\n"));

        assertThat(lines).containsExactly(new LogLine("svc", "t1", STDOUT, Instant.parse(T1), "aaabbbccc"));
    }

    @Test
    void partialLinesOfDifferentTasksAndStreamsStayApart() {
        assembler.accept(StreamType.STDOUT, bytes(T1 + " " + details("t1") + " one-"));
        assembler.accept(StreamType.STDOUT, bytes(T1 + " " + details("t2") + " two-"));
        assembler.accept(StreamType.STDERR, bytes(T1 + " " + details("t1") + " err-"));
        assembler.accept(StreamType.STDOUT, bytes(T2 + " " + details("t2") + " end\n"));
        assembler.accept(StreamType.STDERR, bytes(T2 + " " + details("t1") + " end\n"));
        assembler.accept(StreamType.STDOUT, bytes(T2 + " " + details("t1") + " end\n"));

        assertThat(lines).extracting(LogLine::taskId, LogLine::stream, LogLine::text).containsExactly(
                org.assertj.core.groups.Tuple.tuple("t2", STDOUT, "two-end"),
                org.assertj.core.groups.Tuple.tuple("t1", STDERR, "err-end"),
                org.assertj.core.groups.Tuple.tuple("t1", STDOUT, "one-end"));
    }

    @Test
    void aFrameWithSeveralMessagesGivesSeveralLines() {
        assembler.accept(StreamType.STDOUT, bytes(T1 + " " + details("t1") + " a\n"
                + T2 + " " + details("t1") + " b\n" + T2 + " " + details("t1") + " c"));

        assertThat(lines).extracting(LogLine::text).containsExactly("a", "b");
        assembler.flush();
        assertThat(lines).extracting(LogLine::text).containsExactly("a", "b", "c");
    }

    @Test
    void aFrameWithoutPrefixContinuesTheOpenLineOfItsStream() {
        assembler.accept(StreamType.STDOUT, bytes(T1 + " " + details("t1") + " start-"));
        assembler.accept(StreamType.STDOUT, bytes("middle-"));
        assembler.accept(StreamType.STDOUT, bytes("end\n"));

        assertThat(lines).containsExactly(new LogLine("svc", "t1", STDOUT, Instant.parse(T1), "start-middle-end"));
    }

    @Test
    void flushEmitsTheTrailingPartialLineOnce() {
        assembler.accept(StreamType.STDERR, bytes(T1 + " " + details("t1") + " no newline"));
        assembler.flush();
        assembler.flush();

        assertThat(lines).containsExactly(new LogLine("svc", "t1", STDERR, Instant.parse(T1), "no newline"));
    }

    @Test
    void aUtf8CharacterSplitAcrossPartialMessagesSurvives() {
        byte[] word = "grüße".getBytes(StandardCharsets.UTF_8);
        int split = 3; // inside the two bytes of ü
        assembler.accept(StreamType.STDOUT, concat(bytes(T1 + " " + details("t1") + " "), Arrays.copyOf(word, split)));
        assembler.accept(StreamType.STDOUT, concat(bytes(T1 + " " + details("t1") + " "),
                Arrays.copyOfRange(word, split, word.length), bytes("\n")));

        assertThat(lines).extracting(LogLine::text).containsExactly("grüße");
    }

    @Test
    void ttyOutputCountsAsStdout() {
        assembler.accept(StreamType.RAW, bytes(T1 + " " + details("t1") + " tty\n"));

        assertThat(lines).extracting(LogLine::stream).containsExactly(STDOUT);
    }

    private static String details(String task) {
        return "com.docker.swarm.node.id=n1,com.docker.swarm.service.id=s1,com.docker.swarm.task.id=" + task;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[]... parts) {
        var out = new java.io.ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
