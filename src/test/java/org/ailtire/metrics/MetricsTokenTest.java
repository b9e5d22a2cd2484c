package org.ailtire.metrics;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MetricsTokenTest {
    @Test
    void matchesTheTokenWhoseHashItHolds() {
        String hash = MetricsToken.hashOf("prometheus-scrape-token");
        MetricsToken token = MetricsToken.fromEnvironment(Map.of(MetricsToken.HASH_VARIABLE, hash)).orElseThrow();

        assertThat(hash).hasSize(64).doesNotContain("prometheus");
        assertThat(token.matches("prometheus-scrape-token")).isTrue();
        assertThat(token.matches("prometheus-scrape-tokem")).isFalse();
        assertThat(token.matches(null)).isFalse();
        assertThat(token).hasToString("MetricsToken[***]");
    }

    @Test
    void noVariableNoToken() {
        assertThat(MetricsToken.fromEnvironment(Map.of())).isEmpty();
        assertThat(MetricsToken.fromEnvironment(Map.of(MetricsToken.HASH_VARIABLE, " "))).isEmpty();
    }

    @Test
    void refusesAShortTokenAndABadHashNamingTheVariable() {
        assertThatThrownBy(() -> MetricsToken.hashOf("short")).hasMessageContaining("16 characters");
        assertThatThrownBy(() -> MetricsToken.ofHash("abc")).hasMessageContaining(MetricsToken.HASH_VARIABLE);
    }
}
