package org.ailtire.cli;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SinceTest {
    private final Clock clock = Clock.fixed(Instant.parse("2026-03-01T12:00:00Z"), ZoneOffset.UTC);

    @Test
    void durationsCountBackFromNow() {
        assertThat(Since.parse("90s", clock)).isEqualTo(Instant.parse("2026-03-01T11:58:30Z"));
        assertThat(Since.parse("1h30m", clock)).isEqualTo(Instant.parse("2026-03-01T10:30:00Z"));
        assertThat(Since.parse("2d", clock)).isEqualTo(Instant.parse("2026-02-27T12:00:00Z"));
    }

    @Test
    void timestampsDatesAndEpochSeconds() {
        assertThat(Since.parse("2026-01-31T12:00:00Z", clock)).isEqualTo(Instant.parse("2026-01-31T12:00:00Z"));
        assertThat(Since.parse("2026-01-31T13:00:00+01:00", clock)).isEqualTo(Instant.parse("2026-01-31T12:00:00Z"));
        assertThat(Since.parse("2026-01-31", clock)).isEqualTo(Instant.parse("2026-01-31T00:00:00Z"));
        assertThat(Since.parse("1700000000", clock)).isEqualTo(Instant.ofEpochSecond(1_700_000_000L));
    }

    @Test
    void anythingElseIsRefused() {
        assertThatThrownBy(() -> Since.parse("yesterday", clock)).hasMessageContaining("got yesterday");
        assertThatThrownBy(() -> Since.parse("10x", clock)).isInstanceOf(IllegalArgumentException.class);
    }
}
