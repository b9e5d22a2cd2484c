package org.ailtire.policy;

import org.ailtire.definition.DefinitionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PolicyFileTest {
    @Test
    void yamlAndJsonGiveTheSamePolicy(@TempDir Path dir) throws Exception {
        DefinitionPolicy expected = new DefinitionPolicy(List.of("/srv/data"), false, true, List.of("NET_ADMIN"),
                List.of("prod_db"));
        assertThat(PolicyFile.read(Files.writeString(dir.resolve("p.yml"), """
                allow_bind: [/srv/data/]
                allow_host_network: true
                allow_cap: [cap_net_admin]
                allow_secret: prod_db
                """))).isEqualTo(expected);
        assertThat(PolicyFile.read(Files.writeString(dir.resolve("p.json"), "{\"allow_bind\": [\"/srv/data\"], "
                + "\"allow_host_network\": true, \"allow_cap\": [\"NET_ADMIN\"], \"allow_secret\": [\"prod_db\"]}")))
                .isEqualTo(expected);
        assertThat(PolicyFile.read(Files.writeString(dir.resolve("empty.yml"), ""))).isEqualTo(DefinitionPolicy.DENY);
    }

    @Test
    void problemsNameTheFileAndTheKey(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("policy.yml"), "allow_everything: true\n");
        assertThatThrownBy(() -> PolicyFile.read(file)).isInstanceOf(DefinitionException.class)
                .hasMessageContaining("policy.yml: allow_everything: unknown key");
        Path aliases = Files.writeString(dir.resolve("a.yml"), "allow_cap: &c [NET_ADMIN]\nallow_secret: *c\n");
        assertThatThrownBy(() -> PolicyFile.read(aliases)).isInstanceOf(DefinitionException.class)
                .hasMessageContaining("a.yml: not YAML");
    }
}
