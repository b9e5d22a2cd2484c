package org.ailtire.stack;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StackTokenTest {
    private static final StackToken TOP = StackToken.of("0123456789abcdef0123456789abcdef");

    @Test
    void aChildsTokenIsTheKnownHmacOfItsParentsTokenAndItsKey() {
        // Computed independently: base64url(HMAC-SHA256(top, "ailtire stack token\0" + key)), no padding.
        assertThat(TOP.child("backend").value()).isEqualTo("ZUkvSCuvbnl5KznZ9j29QqlLQxcGyO1b5W4VXGK90Nw");
        assertThat(TOP.child("backend").child("db").value()).isEqualTo("PTpFfsi5Oe7G36kyNymG6sthx12Q0fi2hVnb6Ftivk0");
    }

    @Test
    void siblingsParentsAndTreesGetDifferentTokens() {
        assertThat(TOP.child("backend").value()).isNotEqualTo(TOP.child("frontend").value())
                .isNotEqualTo(TOP.value())
                .isNotEqualTo(StackToken.of("another-tree-token-0123456789").child("backend").value());
        assertThat(TOP.child("backend").child("db").value()).isNotEqualTo(TOP.child("db").value());
    }

    @Test
    void aChildsTokenMatchesNeitherItsParentNorASibling() {
        StackToken backend = TOP.child("backend");
        assertThat(TOP.matches(backend.value())).isFalse();
        assertThat(TOP.child("frontend").matches(backend.value())).isFalse();
        assertThat(backend.child("db").matches(backend.value())).isFalse();
        assertThat(TOP.child("backend").matches(backend.value())).isTrue();
        assertThat(backend.matches(null)).isFalse();
    }

    @Test
    void aDescendantIsFoundByItsPath() {
        assertThat(TOP.descendant("backend/db").value()).isEqualTo(TOP.child("backend").child("db").value());
        assertThat(TOP.descendant("/backend/db/").value()).isEqualTo(TOP.child("backend").child("db").value());
        assertThat(TOP.descendant("").value()).isEqualTo(TOP.value());
        assertThatThrownBy(() -> TOP.descendant("backend//db")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("backend//db");
    }

    @Test
    void theTokenIsNeverShownAndNeverBlank() {
        assertThat(TOP.toString()).doesNotContain(TOP.value());
        assertThatThrownBy(() -> StackToken.of(" ")).isInstanceOf(IllegalArgumentException.class);
    }
}
