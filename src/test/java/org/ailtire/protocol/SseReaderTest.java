package org.ailtire.protocol;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SseReaderTest {
    private static List<SseEvent> read(String stream) throws Exception {
        BufferedReader lines = new BufferedReader(new StringReader(stream));
        SseReader reader = new SseReader(lines::readLine);
        List<SseEvent> events = new ArrayList<>();
        SseEvent event;
        while ((event = reader.next()) != null) {
            events.add(event);
        }
        return events;
    }

    @Test
    void namedEventsWithData() throws Exception {
        assertThat(read("event: status\ndata: {\"a\":1}\n\nevent: end\ndata: {}\n\n")).containsExactly(
                new SseEvent("status", "{\"a\":1}", ""),
                new SseEvent("end", "{}", ""));
    }

    @Test
    void dataLinesJoinWithNewlinesAndOnlyOneLeadingSpaceGoes() throws Exception {
        assertThat(read("data: first\ndata:  second\ndata:third\n\n"))
                .containsExactly(new SseEvent("message", "first\n second\nthird", ""));
    }

    @Test
    void commentsAndUnknownFieldsAreIgnored() throws Exception {
        assertThat(read(": stream open\n\n: keep-alive\n\nretry: 100\nfoo: bar\nevent: x\n: in between\ndata: d\n\n"))
                .containsExactly(new SseEvent("x", "d", ""));
    }

    @Test
    void theIdIsKeptForLaterEvents() throws Exception {
        assertThat(read("id: 7\ndata: a\n\ndata: b\n\nid\ndata: c\n\n")).containsExactly(
                new SseEvent("message", "a", "7"),
                new SseEvent("message", "b", "7"),
                new SseEvent("message", "c", ""));
    }

    @Test
    void anEventWithoutDataIsNotDispatchedAndItsNameDoesNotLeak() throws Exception {
        assertThat(read("event: lonely\n\ndata: later\n\n"))
                .containsExactly(new SseEvent("message", "later", ""));
    }

    @Test
    void crLfLinesAndEmptyDataWork() throws Exception {
        assertThat(read("event: e\r\ndata\r\n\r\n")).containsExactly(new SseEvent("e", "", ""));
    }

    @Test
    void anUnfinishedEventAtTheEndIsDropped() throws Exception {
        assertThat(read("data: complete\n\ndata: cut off")).containsExactly(new SseEvent("message", "complete", ""));
    }
}
