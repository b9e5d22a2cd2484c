package org.ailtire.swarm.logs;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LogQueryTest {
    @Test
    void buildsQueries() {
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        assertThat(LogQuery.all()).isEqualTo(new LogQuery(null, null, true, true));
        assertThat(LogQuery.all().withTail(3).withSince(t).onlyStderr()).isEqualTo(new LogQuery(3, t, false, true));
        assertThat(LogQuery.all().onlyStdout()).isEqualTo(new LogQuery(null, null, true, false));
    }

    @Test
    void rejectsANegativeTail() {
        assertThatThrownBy(() -> LogQuery.all().withTail(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tail must be >= 0");
    }

    @Test
    void rejectsAQueryWithoutStreams() {
        assertThatThrownBy(() -> new LogQuery(null, null, false, false)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least one of stdout and stderr");
    }
}
