package org.ailtire.definition;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A child stack service runs the controller image, so unlike an ordinary service it needs no {@code image}. */
class ChildStackServiceImageTest {
    @Test
    void childStackServiceLoadsWithoutAnImage() throws Exception {
        LoadedDefinition loaded = new DefinitionLoader(null).load("""
                services:
                  backend:
                    x-ailtire:
                      stack: "services: {db: {image: busybox}}"
                """, Map.of());

        assertThat(loaded.definition().services().get("backend").image()).isNull();
    }

    @Test
    void ordinaryServiceStillNeedsAnImage() {
        assertThatThrownBy(() -> new DefinitionLoader(null).load("services: {web: {command: [sh]}}", Map.of()))
                .isInstanceOf(DefinitionException.class)
                .hasMessageContaining("services.web.image: required: swarm services run an image");
    }
}
