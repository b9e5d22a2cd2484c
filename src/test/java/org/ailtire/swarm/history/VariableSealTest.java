package org.ailtire.swarm.history;

import org.ailtire.stack.RegistryAuth;
import org.ailtire.stack.RegistryCredential;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class VariableSealTest {
    private final VariableSeal seal = new VariableSeal("a-token-of-the-tree-0123456789", "shop");
    private final VariableSeal.Variables variables = new VariableSeal.Variables(List.of("--debug"),
            Map.of("DB_PASSWORD", "hunter2", "TAG", "1.4"),
            new RegistryAuth(Map.of("127.0.0.1:5000", new RegistryCredential("alice", "registry-pw-42"))));

    @Test
    void opensWhatItSealedAndHidesTheValues() throws Exception {
        String sealed = seal.seal(variables);
        assertThat(sealed).doesNotContain("hunter2").doesNotContain("DB_PASSWORD").doesNotContain("registry-pw-42");
        assertThat(seal.open(sealed)).isEqualTo(variables);
        assertThat(seal.seal(variables)).as("a fresh IV each time").isNotEqualTo(sealed);
    }

    @Test
    void anotherTokenOrNamespaceCannotOpenIt() {
        String sealed = seal.seal(variables);
        assertThatThrownBy(() -> new VariableSeal("another-token-0123456789012", "shop").open(sealed))
                .isInstanceOf(VariableSeal.SealBroken.class).hasMessageContaining("token");
        assertThatThrownBy(() -> new VariableSeal("a-token-of-the-tree-0123456789", "shop-backend").open(sealed))
                .isInstanceOf(VariableSeal.SealBroken.class);
    }

    @Test
    void alteredOrGarbledTextIsRefused() {
        String sealed = seal.seal(variables);
        byte[] bytes = java.util.Base64.getDecoder().decode(sealed);
        bytes[bytes.length / 2] ^= 1;
        String altered = java.util.Base64.getEncoder().encodeToString(bytes);
        assertThatThrownBy(() -> seal.open(altered)).isInstanceOf(VariableSeal.SealBroken.class);
        assertThatThrownBy(() -> seal.open("not base64 !")).isInstanceOf(VariableSeal.SealBroken.class);
        assertThatThrownBy(() -> seal.open("AAAA")).isInstanceOf(VariableSeal.SealBroken.class);
    }

    @Test
    void configNamesFitSwarmsLimit() {
        assertThat(ConfigHistory.configName("shop-backend", 12)).isEqualTo("shop-backend_history-v12");
        String longNamespace = "a".repeat(60);
        String name = ConfigHistory.configName(longNamespace, 1234);
        assertThat(name).hasSizeLessThanOrEqualTo(64).startsWith("ailtire-history-").endsWith("-v1234");
        assertThat(ConfigHistory.configName("a".repeat(59) + "b", 1234)).isNotEqualTo(name);
    }

    @Test
    void sealsFilesApartFromVariables() throws Exception {
        org.ailtire.definition.DefinitionFiles files = org.ailtire.definition.DefinitionFiles.of(
                Map.of("", Map.of("db.txt", "file-secret-77".getBytes()), "backend", Map.of("t.txt", "child-secret".getBytes())));
        byte[] sealed = seal.seal(files);
        assertThat(new String(sealed, java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain("file-secret-77")
                .doesNotContain("db.txt");
        assertThat(java.util.Base64.getEncoder().encodeToString(sealed)).doesNotContain(
                java.util.Base64.getEncoder().encodeToString("file-secret-77".getBytes()));
        assertThat(seal.openFiles(sealed)).isEqualTo(files);
        assertThatThrownBy(() -> new VariableSeal("another-token-0123456789012", "shop").openFiles(sealed))
                .isInstanceOf(VariableSeal.SealBroken.class).hasMessageContaining("token");
        // Bound to what they are: sealed variables do not open as files.
        byte[] variablesSealed = java.util.Base64.getDecoder().decode(seal.seal(variables));
        assertThatThrownBy(() -> seal.openFiles(variablesSealed)).isInstanceOf(VariableSeal.SealBroken.class);
    }
}
