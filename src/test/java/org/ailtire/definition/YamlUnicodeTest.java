package org.ailtire.definition;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A character outside the BMP (an emoji, two chars in Java) where the YAML reader's buffer ends: snakeyaml-engine 2.10
 * failed with an IndexOutOfBoundsException (a 500 from the API) when it straddled the 1024-char window; found by
 * bench/fuzz.
 */
class YamlUnicodeTest {
    @Test
    void anEmojiAcrossTheReadersBufferLoads() throws DefinitionException {
        String head = "services:\n  web:\n    image: ailtire/busybox:local\n    command: [\"echo\", \"";
        for (int at = 1016; at <= 1032; at++) { // where the emoji's first char lands
            String yaml = head + "x".repeat(at - head.length()) + "\uD83D\uDE00\"]\n";

            StackDefinition definition = new DefinitionLoader(null).load(yaml, Map.of()).definition();

            assertThat(definition.services().get("web").command()).as("emoji at char " + at)
                    .containsExactly("echo", "x".repeat(at - head.length()) + "\uD83D\uDE00");
        }
    }
}
