package org.ailtire.stack;

import org.ailtire.definition.DefinitionException;
import org.ailtire.definition.DefinitionFiles;
import org.ailtire.definition.DefinitionLoader;
import org.ailtire.definition.StackDefinition;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ServiceOverridesCheckTest {
    private static final String DEFINITION = """
            services:
              web: {image: "reg/web:1"}
              agent: {image: "reg/agent:1", deploy: {mode: global}}
              migrate: {image: "reg/tool:1", deploy: {mode: replicated-job}}
              backend:
                image: ailtire/controller:local
                x-ailtire: {stack: "services: {api: {image: nginx}}"}
            """;

    private static StackDefinition definition() throws DefinitionException {
        return DefinitionLoader.withFiles(DefinitionFiles.NONE)
                .load(DEFINITION, Map.of()).definition();
    }

    private static UpdateRequest request(ServiceOverrides overrides, Set<String> refresh) {
        return new UpdateRequest(List.of(), Map.of(), DEFINITION).withOverrides(overrides).withRefresh(refresh);
    }

    @Test
    void aReplicatedServiceOfTheStackCanBeScaledAndAnyOwnServiceRedeployed() {
        assertThatCode(() -> ServiceOverridesCheck.check(definition(), request(
                ServiceOverrides.NONE.scaled("web", 4).redeployed("agent").redeployed("migrate"), Set.of("web"))))
                .doesNotThrowAnyException();
    }

    @Test
    void everyServiceThatCannotBeIsNamedWithWhy() {
        assertThatThrownBy(() -> ServiceOverridesCheck.check(definition(), request(ServiceOverrides.NONE
                .scaled("agent", 2).scaled("migrate", 2).scaled("nope", 1).redeployed("backend"), Set.of("gone"))))
                .isInstanceOf(DefinitionException.class)
                .hasMessageContaining("services.agent: cannot be scaled: its mode is global (it runs one task per node)")
                .hasMessageContaining("services.migrate: cannot be scaled: its mode is replicated-job")
                .hasMessageContaining("services.nope: cannot scale: the stack has no service nope (it has web, agent, "
                        + "migrate, backend)")
                .hasMessageContaining("services.backend: cannot redeploy: backend is a child stack")
                .hasMessageContaining("services.gone: cannot redeploy: the stack has no service gone");
    }
}
