package org.ailtire.controller;

import org.ailtire.policy.DefinitionPolicy;
import org.ailtire.stack.Json;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ControllerConfigPolicyTest {
    @Test
    void withoutAPolicyTheControllerDenies() {
        assertThat(ControllerConfig.policy(Map.of())).isEqualTo(DefinitionPolicy.DENY);
        assertThat(ControllerConfig.policy(Map.of("AILTIRE_POLICY", " "))).isEqualTo(DefinitionPolicy.DENY);
    }

    @Test
    void thePolicyAParentWritesIsReadBack() throws Exception {
        DefinitionPolicy given = new DefinitionPolicy(List.of("/srv/data"), true, false, List.of("NET_ADMIN"),
                List.of("prod_db"));
        assertThat(ControllerConfig.policy(Map.of("AILTIRE_POLICY", Json.MAPPER.writeValueAsString(given))))
                .isEqualTo(given);
    }

    @Test
    void aBadPolicyIsRefusedNamingTheVariableAndTheKey() {
        assertThatThrownBy(() -> ControllerConfig.policy(Map.of("AILTIRE_POLICY", "{\"allow_bind\": [\"rel\"]}")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("AILTIRE_POLICY: allow_bind[0]: expected an absolute host path, got \"rel\"");
        assertThatThrownBy(() -> ControllerConfig.policy(Map.of("AILTIRE_POLICY", "allow everything")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("AILTIRE_POLICY: expected a JSON");
    }
}
