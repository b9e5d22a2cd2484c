package org.ailtire.controller;

import org.ailtire.dataplane.Hsts;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GatewayTlsFileTest {
    @Test
    void hstsComesFromTheTopControllersEnvironmentAndIsOffWithoutIt() {
        assertThat(GatewayTlsFile.hsts(Map.of())).isEmpty();
        assertThat(GatewayTlsFile.hsts(Map.of("AILTIRE_HSTS_MAX_AGE", "31536000")))
                .hasValue(new Hsts(31536000, false));
        assertThat(GatewayTlsFile.hsts(Map.of("AILTIRE_HSTS_MAX_AGE", "0", "AILTIRE_HSTS_INCLUDE_SUBDOMAINS", "true")))
                .isEqualTo(Optional.of(new Hsts(0, true)));
    }

    @Test
    void aWrongHstsSettingNamesTheVariable() {
        assertThatThrownBy(() -> GatewayTlsFile.hsts(Map.of("AILTIRE_HSTS_MAX_AGE", "1y")))
                .hasMessage("AILTIRE_HSTS_MAX_AGE: expected whole seconds, got \"1y\"");
        assertThatThrownBy(() -> GatewayTlsFile.hsts(Map.of("AILTIRE_HSTS_MAX_AGE", "-1")))
                .hasMessageStartingWith("AILTIRE_HSTS_MAX_AGE: max-age: expected whole seconds from 0");
        assertThatThrownBy(() -> GatewayTlsFile.hsts(Map.of("AILTIRE_HSTS_INCLUDE_SUBDOMAINS", "true")))
                .hasMessage("AILTIRE_HSTS_INCLUDE_SUBDOMAINS: needs AILTIRE_HSTS_MAX_AGE");
        assertThatThrownBy(() -> GatewayTlsFile.hsts(Map.of("AILTIRE_HSTS_MAX_AGE", "5",
                "AILTIRE_HSTS_INCLUDE_SUBDOMAINS", "yes")))
                .hasMessage("AILTIRE_HSTS_INCLUDE_SUBDOMAINS: expected true or false, got \"yes\"");
    }
}
