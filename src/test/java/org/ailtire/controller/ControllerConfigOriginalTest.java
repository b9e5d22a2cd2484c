package org.ailtire.controller;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Compatibility mode: a controller of ours started by an original ailtire parent, from the original's variables. */
class ControllerConfigOriginalTest {
    @TempDir
    Path temp;

    private Map<String, String> original() throws Exception {
        Path definition = Files.writeString(temp.resolve("docker-compose.yml"), "services:\n  web:\n    image: nginx\n");
        Map<String, String> env = new HashMap<>();
        env.put("AILTIRE_COMPATIBILITY", "original");
        env.put("AILTIRE_APPNAME", "shop");
        env.put("AILTIRE_STACKNAME", "shop_backend-1");
        env.put("AILTIRE_PARENTHOST", "a1b2c3d4e5f6");
        env.put("AILTIRE_PARENTPORT", "3000");
        env.put("AILTIRE_STACKADMINPORT", "3000");
        env.put("AILTIRE_SERVICENAME", "backend");
        env.put("AILTIRE_PARENT_NETWORK", "shop_shop_backend_family");
        env.put("HOSTNAME", "0f9e8d7c6b5a");
        env.put("AILTIRE_DEFINITION_FILE", definition.toString());
        return env;
    }

    @Test
    void theOriginalsVariablesRunTheStackTheyName() throws Exception {
        ControllerConfig config = ControllerConfig.fromEnvironment(original());
        assertThat(config.underOriginalParent()).isTrue();
        assertThat(config.place().app()).isEqualTo("shop");
        assertThat(config.place().namespace()).isEqualTo("shop_backend-1");
        assertThat(config.place().controllerService()).as("the parent's service, without the slot")
                .isEqualTo("shop_backend");
        assertThat(config.parentHost()).contains("a1b2c3d4e5f6");
        assertThat(config.parentPort()).isEqualTo(3000);
        assertThat(config.adminPort()).isEqualTo(3000);
        assertThat(config.gatewayPort()).isEqualTo(8080);
        assertThat(config.definitionFile()).contains(temp.resolve("docker-compose.yml"));
        OriginalParent parent = config.originalParent().orElseThrow();
        assertThat(parent.stackName()).isEqualTo("shop_backend-1");
        assertThat(parent.serviceName()).isEqualTo("backend");
        assertThat(parent.url()).as("host and port, no scheme, as the original registers").isEqualTo("0f9e8d7c6b5a:3000");
        assertThat(config.token()).as("made up, told to nobody").hasSizeGreaterThanOrEqualTo(32);
        assertThat(ControllerConfig.fromEnvironment(original()).token()).isNotEqualTo(config.token());
    }

    @Test
    void theOriginalsDefaultsHoldForThePortsAndTheServiceName() throws Exception {
        Map<String, String> env = original();
        env.remove("AILTIRE_PARENTPORT");
        env.remove("AILTIRE_STACKADMINPORT");
        env.remove("AILTIRE_SERVICENAME");
        ControllerConfig config = ControllerConfig.fromEnvironment(env);
        assertThat(config.adminPort()).isEqualTo(3000);
        assertThat(config.parentPort()).isEqualTo(3000);
        assertThat(config.originalParent().orElseThrow().serviceName()).isEqualTo("service");
    }

    @Test
    void withoutTheModeTheOriginalsVariablesAloneAreRefusedAsBefore() throws Exception {
        Map<String, String> env = original();
        env.remove("AILTIRE_COMPATIBILITY");
        assertThatThrownBy(() -> ControllerConfig.fromEnvironment(env)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("AILTIRE_STACK_PATH, AILTIRE_NAMESPACE, AILTIRE_CONTROLLER_SERVICE,"
                        + " AILTIRE_TOKEN_SECRET");
    }

    @Test
    void anUnknownModeIsRefusedWithItsName() throws Exception {
        Map<String, String> env = original();
        env.put("AILTIRE_COMPATIBILITY", "nodejs");
        assertThatThrownBy(() -> ControllerConfig.fromEnvironment(env))
                .hasMessage("AILTIRE_COMPATIBILITY: expected \"original\" (under an original ailtire parent) or unset,"
                        + " got \"nodejs\"");
    }

    @Test
    void ourOwnTreesVariablesDoNotMixWithTheMode() throws Exception {
        Map<String, String> env = original();
        env.put("AILTIRE_NAMESPACE", "shop-backend");
        env.put("AILTIRE_TOKEN_SECRET", "shop-root_token");
        assertThatThrownBy(() -> ControllerConfig.fromEnvironment(env))
                .hasMessage("AILTIRE_COMPATIBILITY=original runs the stack under an original ailtire parent, from the"
                        + " original's variables only; these belong to a tree of ours and cannot be mixed with it:"
                        + " AILTIRE_NAMESPACE, AILTIRE_TOKEN_SECRET");
    }

    @Test
    void aHalfSetEnvironmentNamesWhatIsMissing() throws Exception {
        Map<String, String> env = original();
        env.remove("AILTIRE_STACKNAME");
        env.remove("AILTIRE_PARENTHOST");
        env.put("HOSTNAME", " ");
        assertThatThrownBy(() -> ControllerConfig.fromEnvironment(env))
                .hasMessage("under an original ailtire parent (AILTIRE_COMPATIBILITY=original) the controller needs"
                        + " these environment variables: AILTIRE_STACKNAME, AILTIRE_PARENTHOST, HOSTNAME");
    }

    @Test
    void theDefinitionMustBeAFile() throws Exception {
        Map<String, String> env = original();
        env.put("AILTIRE_DEFINITION_FILE", temp.resolve("missing.yml").toString());
        assertThatThrownBy(() -> ControllerConfig.fromEnvironment(env))
                .hasMessageStartingWith("AILTIRE_DEFINITION_FILE: the stack's definition " + temp.resolve("missing.yml")
                        + " is not a file");
    }

    @Test
    void withoutADefinitionFileTheImagesOneIsRead() throws Exception {
        Map<String, String> env = original();
        env.remove("AILTIRE_DEFINITION_FILE");
        assertThatThrownBy(() -> ControllerConfig.fromEnvironment(env))
                .hasMessageStartingWith("AILTIRE_DEFINITION_FILE: the stack's definition /app/docker-compose.yml");
    }

    @Test
    void aStackNameTheEngineCannotTakeIsRefused() throws Exception {
        Map<String, String> env = original();
        env.put("AILTIRE_STACKNAME", "shop/backend");
        assertThatThrownBy(() -> ControllerConfig.fromEnvironment(env))
                .hasMessageStartingWith("AILTIRE_STACKNAME: expected a stack name");
    }

    @Test
    void outsideTheModeNothingChanges() throws Exception {
        Path token = Files.writeString(temp.resolve("token"), "a-token-of-sixteen-characters-or-more");
        Map<String, String> env = new HashMap<>(Map.of("AILTIRE_APPNAME", "shop", "AILTIRE_STACK_PATH", "/shop/backend",
                "AILTIRE_NAMESPACE", "shop-backend", "AILTIRE_CONTROLLER_SERVICE", "shop_backend",
                "AILTIRE_TOKEN_SECRET", "shop-root_token", "AILTIRE_TOKEN_FILE", token.toString()));
        ControllerConfig config = ControllerConfig.fromEnvironment(env);
        assertThat(config.underOriginalParent()).isFalse();
        assertThat(config.token()).isEqualTo("a-token-of-sixteen-characters-or-more");
    }
}
