package org.ailtire.swarm.stack;

import org.ailtire.stack.LogLine;
import org.ailtire.stack.LogSink;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class FanInSinkTest {
    private final List<LogLine> lines = new ArrayList<>();
    private final List<Throwable> ends = new ArrayList<>();
    private final LogSink target = new LogSink() {
        @Override
        public void line(LogLine line) {
            lines.add(line);
        }

        @Override
        public void end(Throwable failure) {
            ends.add(failure == null ? new Throwable("no failure") : failure);
        }
    };

    @Test
    void aReadDeliversEverySourcesLinesInTimeOrderAndEndsOnceAfterTheLastSource() {
        FanInSink fanIn = new FanInSink(target, false, 2);
        LogSink own = fanIn.own();
        LogSink child = fanIn.child("backend");
        own.line(line("web", 3));
        child.line(line("backend/api", 1));
        own.end(null);
        assertThat(ends).isEmpty();
        assertThat(lines).isEmpty();
        child.line(line("backend/api", 2));
        child.end(null);
        assertThat(lines).extracting(LogLine::text).containsExactly("1", "2", "3");
        assertThat(ends).hasSize(1).allSatisfy(e -> assertThat(e).hasMessage("no failure"));
    }

    @Test
    void followedLinesPassAtOnce() {
        FanInSink fanIn = new FanInSink(target, true, 2);
        fanIn.child("backend").line(line("backend/api", 5));
        assertThat(lines).hasSize(1);
    }

    @Test
    void aChildThatFailsDoesNotFailTheReadButTheStacksOwnLogsDo() {
        FanInSink childFails = new FanInSink(target, false, 2);
        childFails.own().end(null);
        childFails.child("backend").end(new IllegalStateException("unreachable"));
        assertThat(ends).singleElement().satisfies(e -> assertThat(e).hasMessage("no failure"));

        ends.clear();
        FanInSink ownFails = new FanInSink(target, false, 2);
        ownFails.own().end(new IllegalStateException("engine down"));
        ownFails.child("backend").end(null);
        assertThat(ends).singleElement().satisfies(e -> assertThat(e).hasMessage("engine down"));
    }

    private static LogLine line(String service, int second) {
        return new LogLine(service, LogLine.Stream.STDOUT, Instant.ofEpochSecond(second), Integer.toString(second));
    }
}
