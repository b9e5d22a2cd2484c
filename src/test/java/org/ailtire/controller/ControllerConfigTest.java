package org.ailtire.controller;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ControllerConfigTest {
    @TempDir
    Path temp;

    private Map<String, String> environment() throws Exception {
        Path token = Files.writeString(temp.resolve("token"), "a-token-of-sixteen-characters-or-more");
        Map<String, String> env = new HashMap<>();
        env.put("AILTIRE_APPNAME", "shop");
        env.put("AILTIRE_STACK_PATH", "/shop/backend");
        env.put("AILTIRE_NAMESPACE", "shop-backend");
        env.put("AILTIRE_CONTROLLER_SERVICE", "shop_backend");
        env.put("AILTIRE_TOKEN_SECRET", "shop-root_token");
        env.put("AILTIRE_TOKEN_FILE", token.toString());
        return env;
    }

    @Test
    void theAdminAndTheGatewayPortDefaultApartAndChildrenGetBoth() throws Exception {
        ControllerConfig config = ControllerConfig.fromEnvironment(environment());
        assertThat(config.adminPort()).isEqualTo(8081);
        assertThat(config.gatewayPort()).isEqualTo(8080);
        assertThat(config.parentPort()).as("a parent's admin port, like this one's").isEqualTo(8081);
        assertThat(config.children().adminPort()).isEqualTo(8081);
        assertThat(config.children().gatewayPort()).isEqualTo(8080);
    }

    @Test
    void thePortsComeFromTheSidecarsVariableAndItsGatewaySibling() throws Exception {
        Map<String, String> env = environment();
        env.put("AILTIRE_STACKADMINPORT", "3000");
        env.put("AILTIRE_STACKGATEWAYPORT", "3001");
        env.put("AILTIRE_PARENTHOST", "ailtire-parent-of-backend");
        env.put("AILTIRE_PARENTPORT", "4000");
        ControllerConfig config = ControllerConfig.fromEnvironment(env);
        assertThat(config.adminPort()).isEqualTo(3000);
        assertThat(config.gatewayPort()).isEqualTo(3001);
        assertThat(config.parentPort()).isEqualTo(4000);
        assertThat(config.children().gatewayPort()).isEqualTo(3001);
    }

    @Test
    void oneCannotServeTheGatewayOnTheAdminPort() throws Exception {
        Map<String, String> env = environment();
        env.put("AILTIRE_STACKGATEWAYPORT", "8081");
        assertThatThrownBy(() -> ControllerConfig.fromEnvironment(env)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("AILTIRE_STACKGATEWAYPORT: the gateway needs a port of its own, not the admin port"
                        + " (AILTIRE_STACKADMINPORT) 8081");
        env.put("AILTIRE_STACKGATEWAYPORT", "http");
        assertThatThrownBy(() -> ControllerConfig.fromEnvironment(env))
                .hasMessage("AILTIRE_STACKGATEWAYPORT: expected a port number, got \"http\"");
    }
}
