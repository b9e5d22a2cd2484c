package org.ailtire.controller;

import org.ailtire.swarm.drift.DriftMode;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ControllerConfigDriftTest {
    @Test
    void consoleFrameAncestorsAreSelfUnlessSetAndTheChildrenGetThem() {
        assertThat(ControllerConfig.consoleFrameAncestors(Map.of())).isEqualTo("'self'");
        assertThat(ControllerConfig.consoleFrameAncestors(Map.of("AILTIRE_CONSOLE_FRAME_ANCESTORS",
                "'self'  https://portal.example.com"))).isEqualTo("'self' https://portal.example.com");
        assertThatThrownBy(() -> ControllerConfig.consoleFrameAncestors(Map.of("AILTIRE_CONSOLE_FRAME_ANCESTORS",
                "*,evil")))
                .hasMessageStartingWith("AILTIRE_CONSOLE_FRAME_ANCESTORS: expected CSP source expressions");
    }

    @Test
    void controlNetworksArePlainUnlessSetToTrue() {
        assertThat(ControllerConfig.encryptControlNetworks(Map.of())).isFalse();
        assertThat(ControllerConfig.encryptControlNetworks(Map.of("AILTIRE_ENCRYPT_CONTROL_NETWORKS", "false")))
                .isFalse();
        assertThat(ControllerConfig.encryptControlNetworks(Map.of("AILTIRE_ENCRYPT_CONTROL_NETWORKS", " true")))
                .isTrue();
        assertThatThrownBy(() -> ControllerConfig.encryptControlNetworks(Map.of("AILTIRE_ENCRYPT_CONTROL_NETWORKS",
                "yes"))).hasMessage("AILTIRE_ENCRYPT_CONTROL_NETWORKS: expected true or false, got \"yes\"");
    }

    @Test
    void repairUnlessToldToReport() {
        assertThat(ControllerConfig.drift(Map.of())).isEqualTo(DriftMode.REPAIR);
        assertThat(ControllerConfig.drift(Map.of("AILTIRE_DRIFT", " "))).isEqualTo(DriftMode.REPAIR);
        assertThat(ControllerConfig.drift(Map.of("AILTIRE_DRIFT", "repair"))).isEqualTo(DriftMode.REPAIR);
        assertThat(ControllerConfig.drift(Map.of("AILTIRE_DRIFT", "report "))).isEqualTo(DriftMode.REPORT);
    }

    @Test
    void anythingElseIsRefusedNamingTheVariable() {
        assertThatThrownBy(() -> ControllerConfig.drift(Map.of("AILTIRE_DRIFT", "ignore")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("AILTIRE_DRIFT: expected repair or report, got \"ignore\"");
    }
}
