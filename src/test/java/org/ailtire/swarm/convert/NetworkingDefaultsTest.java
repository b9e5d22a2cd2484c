package org.ailtire.swarm.convert;

import org.ailtire.swarm.convert.NetworkingDefaults.EndpointModeSetting;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NetworkingDefaultsTest {

    @Test
    void settingDefaultsToAutoAndAcceptsTheThreeValues() {
        assertThat(NetworkingDefaults.detect(Map.of(), p -> false).endpointMode()).isEqualTo(EndpointModeSetting.AUTO);
        assertThat(NetworkingDefaults.detect(Map.of("AILTIRE_ENDPOINT_MODE", "auto"), p -> false).endpointMode())
                .isEqualTo(EndpointModeSetting.AUTO);
        assertThat(NetworkingDefaults.detect(Map.of("AILTIRE_ENDPOINT_MODE", "vip"), p -> false).endpointMode())
                .isEqualTo(EndpointModeSetting.VIP);
        assertThat(NetworkingDefaults.detect(Map.of("AILTIRE_ENDPOINT_MODE", " DNSRR "), p -> false).endpointMode())
                .isEqualTo(EndpointModeSetting.DNSRR);
    }

    @Test
    void anyOtherSettingIsRefusedWithTheAllowedValues() {
        assertThatThrownBy(() -> NetworkingDefaults.detect(Map.of("AILTIRE_ENDPOINT_MODE", "round-robin"), p -> false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("AILTIRE_ENDPOINT_MODE must be auto, vip or dnsrr, got \"round-robin\"");
    }

    @Test
    void ipvsIsDetectedByEitherMarker() {
        assertThat(NetworkingDefaults.detect(Map.of(), p -> false).ipvsAvailable()).isFalse();
        assertThat(NetworkingDefaults.detect(Map.of(), p -> p.equals(Path.of("/sys/module/ip_vs"))).ipvsAvailable())
                .isTrue();
        assertThat(NetworkingDefaults.detect(Map.of(), p -> p.equals(Path.of("/proc/net/ip_vs"))).ipvsAvailable())
                .isTrue();
    }

    @Test
    void autoResolvesToVipOnlyWithIpvs() {
        assertThat(new NetworkingDefaults(EndpointModeSetting.AUTO, true).defaultsToVip()).isTrue();
        assertThat(new NetworkingDefaults(EndpointModeSetting.AUTO, false).defaultsToVip()).isFalse();
        assertThat(new NetworkingDefaults(EndpointModeSetting.DNSRR, true).defaultsToVip()).isFalse();
        assertThat(new NetworkingDefaults(EndpointModeSetting.VIP, false).defaultsToVip()).isTrue();
    }
}
