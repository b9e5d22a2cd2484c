package org.ailtire.swarm.topology;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StackPlaceTest {
    @Test
    void rootHoldsTheTopStacksNetworksInItsOwnNamespace() {
        StackPlace root = StackPlace.root("shop");

        assertThat(root).isEqualTo(new StackPlace("shop", "shop-root", "", null));
        assertThat(root.isRoot()).isTrue();
    }

    @Test
    void topStackIsNamedAfterTheAppAndItsControllerIsAServiceOfTheRoot() {
        StackPlace top = StackPlace.root("shop").child("shop");

        assertThat(top).isEqualTo(new StackPlace("shop", "shop", "/shop", "shop-root_shop"));
        assertThat(top.isRoot()).isFalse();
        assertThat(top.parentNetwork()).isEqualTo("shop_parent");
        assertThat(top.network("backend")).isEqualTo("shop_backend");
    }

    @Test
    void childStackIsNamespacedBelowItsParent() {
        StackPlace backend = StackPlace.root("shop").child("shop").child("backend");
        StackPlace db = backend.child("db");

        assertThat(backend).isEqualTo(new StackPlace("shop", "shop-backend", "/shop/backend", "shop_backend"));
        assertThat(backend.parentNetwork()).isEqualTo("shop-backend_parent");
        assertThat(db).isEqualTo(new StackPlace("shop", "shop-backend-db", "/shop/backend/db", "shop-backend_db"));
    }

    @Test
    void keysAreSanitisedForEngineNamespacesButKeptInPathsAndServiceNames() {
        StackPlace child = StackPlace.root("My.Shop").child("My.Shop").child("Back_End");

        assertThat(child.namespace()).isEqualTo("my-shop-back-end");
        assertThat(child.path()).isEqualTo("/My.Shop/Back_End");
        assertThat(child.controllerService()).isEqualTo("my-shop_Back_End");
    }

    @Test
    void engineNameIsLowerCaseLettersDigitsAndDashesStartingWithALetterOrDigit() {
        assertThat(StackPlace.engineName("Web_1.x")).isEqualTo("web-1-x");
        assertThat(StackPlace.engineName("-api")).isEqualTo("s-api");
        assertThat(StackPlace.engineName("_api")).isEqualTo("s-api");
        assertThat(StackPlace.engineName("9lives")).isEqualTo("9lives");
        assertThat(StackPlace.engineName("")).isEqualTo("s");
    }

    @Test
    void namespaceLongerThanFortyCharactersIsRefusedNamingThePath() {
        StackPlace deep = StackPlace.root("shop").child("shop").child("aaaaaaaaaa").child("bbbbbbbbbb");
        assertThat(deep.namespace()).hasSize(26);
        assertThat(deep.child("ccccccccccccc").namespace()).hasSize(40);

        assertThatThrownBy(() -> deep.child("cccccccccccccc"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("stack path /shop/aaaaaaaaaa/bbbbbbbbbb/cccccccccccccc is nested too deep for engine names "
                        + "(shop-aaaaaaaaaa-bbbbbbbbbb-cccccccccccccc is longer than 40 characters); use shorter service names");
    }
}
