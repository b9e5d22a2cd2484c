package org.ailtire.swarm.stack;

import org.ailtire.gateway.Route;
import org.ailtire.gateway.RouteTarget;
import org.ailtire.gateway.StackRoutes;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UpdateRoutesTest {
    private static StackRoutes withChild(String... children) {
        List<Route> routes = java.util.Arrays.stream(children).map(key -> new Route(key, "/" + key,
                RouteTarget.childStack(key), "/", Route.Protocol.WS, Route.Origin.DEFINITION)).toList();
        return new StackRoutes(routes, Set.of("api"), Set.of(children));
    }

    private final StackRoutes before = withChild("db");
    private final StackRoutes after = withChild();
    private final UpdateRoutes routes = new UpdateRoutes();

    @Test
    void anUpdateServesItsRoutesFromItsStartAndAfterItSucceeded() throws Exception {
        routes.during(before, Optional::empty, () -> { });
        routes.during(after, () -> Optional.of(before), () ->
                assertThat(routes.current()).as("while it runs").isEqualTo(after));

        assertThat(routes.current()).isEqualTo(after);
    }

    @Test
    void aFailedUpdateServesTheRoutesOfTheVersionAppliedLast() throws Exception {
        routes.during(before, Optional::empty, () -> { });

        assertThatThrownBy(() -> routes.during(after, () -> Optional.of(before), () -> {
            throw new IllegalStateException("store failed; rolled back");
        })).hasMessage("store failed; rolled back");

        assertThat(routes.current()).isEqualTo(before);
    }

    @Test
    void aRestartedControllerGetsTheRoutesOfItsHistoryBackAfterAFailedUpdate() {
        // A new process serves no routes before its first update; the failed one leaves the version applied last.
        assertThatThrownBy(() -> routes.during(after, () -> Optional.of(before), () -> {
            throw new IllegalStateException("rolled back");
        }));

        assertThat(routes.current()).isEqualTo(before);
    }

    @Test
    void withoutAHistoryTheRoutesServedBeforeComeBack() throws Exception {
        routes.during(before, Optional::empty, () -> { });

        assertThatThrownBy(() -> routes.during(after, () -> {
            throw new IllegalStateException("history unreadable");
        }, () -> {
            throw new IllegalStateException("rolled back");
        })).hasMessage("rolled back");
        assertThat(routes.current()).isEqualTo(before);

        assertThatThrownBy(() -> routes.during(after, Optional::empty, () -> {
            throw new IllegalStateException("rolled back");
        }));
        assertThat(routes.current()).isEqualTo(before);
    }
}
