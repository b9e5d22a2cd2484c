package org.ailtire.definition;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A child stack's definition is interpolated by the child's controller, with its own environment, not the parent. */
class ChildStackInterpolationTest {
    private static final Map<String, String> VARIABLES = Map.of("TAG", "1.2", "REGION", "eu", "CHILD_IMAGE", "parent-value");

    @Test
    void textDefinitionIsLeftAsWrittenWhileTheRestOfTheServiceIsInterpolated() throws Exception {
        LoadedDefinition loaded = new DefinitionLoader(null).load("""
                services:
                  backend:
                    image: ctl:${TAG}
                    environment:
                      REGION: ${REGION}
                    x-ailtire:
                      stack: |
                        services:
                          db:
                            image: ${CHILD_IMAGE}
                            command: ${UNDEFINED_IN_PARENT}
                """, VARIABLES);

        ServiceDefinition backend = loaded.definition().services().get("backend");
        assertThat(backend.image()).isEqualTo("ctl:1.2");
        assertThat(backend.environment()).containsEntry("REGION", "eu");
        assertThat(stackOf(backend)).isEqualTo("""
                services:
                  db:
                    image: ${CHILD_IMAGE}
                    command: ${UNDEFINED_IN_PARENT}
                """);
        assertThat(loaded.warnings()).isEmpty();
    }

    @Test
    void mappingDefinitionIsLeftAsWrittenWhileTheRestOfTheServiceIsInterpolated() throws Exception {
        LoadedDefinition loaded = new DefinitionLoader(null).load("""
                services:
                  backend:
                    image: ctl:${TAG}
                    environment:
                      REGION: ${REGION}
                    x-ailtire:
                      stack:
                        services:
                          db:
                            image: ${CHILD_IMAGE}
                            command: [sh, "${UNDEFINED_IN_PARENT}"]
                """, VARIABLES);

        ServiceDefinition backend = loaded.definition().services().get("backend");
        assertThat(backend.image()).isEqualTo("ctl:1.2");
        assertThat(backend.environment()).containsEntry("REGION", "eu");
        assertThat(new org.snakeyaml.engine.v2.api.Load(org.snakeyaml.engine.v2.api.LoadSettings.builder().build())
                .loadFromString(stackOf(backend))).isEqualTo(Map.of("services", Map.of("db", Map.of(
                "image", "${CHILD_IMAGE}", "command", java.util.List.of("sh", "${UNDEFINED_IN_PARENT}")))));
        assertThat(loaded.warnings()).isEmpty();
    }

    @Test
    void otherExtensionFieldsOfTheServiceAreStillInterpolated() throws Exception {
        LoadedDefinition loaded = new DefinitionLoader(null).load("""
                services:
                  backend:
                    image: ctl
                    x-ailtire:
                      stack: "services: {db: {image: busybox}}"
                      path: /${MISSING}shelf
                """, VARIABLES);

        assertThat(loaded.warnings()).extracting(Problem::toString)
                .containsExactly("services.backend.x-ailtire.path: variable MISSING is not set, using an empty string (warning)");
        assertThat(loaded.definition().services().get("backend").ailtire().stack().orElseThrow().path())
                .isEqualTo("/shelf");
    }

    private static String stackOf(ServiceDefinition service) {
        return service.ailtire().stack().orElseThrow().definition();
    }
}
