package org.ailtire.definition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ShellWordsTest {
    @Test
    void splitsOnBlanksAndHonoursQuotesAndEscapes() {
        assertThat(ShellWords.split("  sh -c 'echo \"hi there\"'  ")).containsExactly("sh", "-c", "echo \"hi there\"");
        assertThat(ShellWords.split("echo \"a \\\"b\\\" $x\" c\\ d ''")).containsExactly("echo", "a \"b\" $x", "c d", "");
        assertThat(ShellWords.split("")).isEmpty();
    }

    @Test
    void unterminatedQuoteIsRefused() {
        assertThatThrownBy(() -> ShellWords.split("echo 'oops")).hasMessageContaining("unterminated ' quote");
        assertThatThrownBy(() -> ShellWords.split("echo \\")).hasMessageContaining("backslash");
    }
}
