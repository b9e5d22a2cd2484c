package org.ailtire.cli;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class CliEnvironmentTest {
    @Test
    void contextsLiveUnderHomeWhenSetElseTheAccountsHome() {
        assertThat(CliEnvironment.home(Map.of("HOME", "/tmp/elsewhere"), "/root")).isEqualTo(Path.of("/tmp/elsewhere"));
        assertThat(CliEnvironment.home(Map.of(), "/root")).isEqualTo(Path.of("/root"));
        assertThat(CliEnvironment.home(Map.of("HOME", " "), "/root")).isEqualTo(Path.of("/root"));
    }
}
