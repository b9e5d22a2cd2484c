package org.ailtire.controller;

import org.ailtire.swarm.drift.DriftMode;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ControllerConfigDriftTest {
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
