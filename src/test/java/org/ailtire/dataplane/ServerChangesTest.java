package org.ailtire.dataplane;

import org.ailtire.gateway.Route;
import org.ailtire.gateway.RouteTarget;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ServerChangesTest {
    private static final Route SHOP = new Route("shop", "/shop", RouteTarget.service("web", 8000), "/",
            Route.Protocol.HTTP, Route.Origin.DEFINITION);

    private static List<RouteBackend> shop(RouteBackend.Server... servers) {
        return List.of(new RouteBackend(SHOP, new RouteBackend.Servers(List.of(servers))));
    }

    private static RouteBackend.Server task(String id, String ip) {
        return new RouteBackend.Server(id, ip, 8000);
    }

    @Test
    void aNewTaskIsAddedAndEnabled() {
        assertThat(ServerChanges.between(shop(task("a", "10.0.0.2")), shop(task("a", "10.0.0.2"), task("b", "10.0.0.3"))))
                .containsExactly("add server r_shop/b 10.0.0.3:8000", "enable server r_shop/b");
    }

    @Test
    void aTaskBeingReplacedIsDrainedThenRemovedOnceGone() {
        var draining = new RouteBackend.Server("a", "10.0.0.2", 8000, true);
        assertThat(ServerChanges.between(shop(task("a", "10.0.0.2"), task("b", "10.0.0.3")), shop(draining, task("b", "10.0.0.3"))))
                .containsExactly("set server r_shop/a state drain");
        assertThat(ServerChanges.between(shop(draining, task("b", "10.0.0.3")), shop(task("b", "10.0.0.3"))))
                .containsExactly("set server r_shop/a state maint", "shutdown sessions server r_shop/a", "del server r_shop/a");
    }

    @Test
    void additionsComeBeforeRemovalsSoTheBackendKeepsAServer() {
        assertThat(ServerChanges.between(shop(task("a", "10.0.0.2")), shop(task("b", "10.0.0.3"))))
                .containsExactly("add server r_shop/b 10.0.0.3:8000", "enable server r_shop/b",
                        "set server r_shop/a state maint", "shutdown sessions server r_shop/a", "del server r_shop/a");
    }

    @Test
    void aTaskWithANewAddressIsReplacedUnderItsName() {
        assertThat(ServerChanges.between(shop(task("a", "10.0.0.2")), shop(task("a", "10.0.0.9"))))
                .containsExactly("set server r_shop/a state maint", "shutdown sessions server r_shop/a",
                        "del server r_shop/a", "add server r_shop/a 10.0.0.9:8000", "enable server r_shop/a");
    }

    @Test
    void nothingChangedIsNoCommandAndNamedHostsAreLeftToReloads() {
        assertThat(ServerChanges.between(shop(task("a", "10.0.0.2")), shop(task("a", "10.0.0.2")))).isEmpty();
        assertThat(ServerChanges.between(shop(), shop(new RouteBackend.Server("controller", "ailtire-backend", 8080)))).isEmpty();
    }
}
