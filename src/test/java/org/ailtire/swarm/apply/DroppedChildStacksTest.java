package org.ailtire.swarm.apply;

import com.github.dockerjava.api.model.Service;
import com.github.dockerjava.api.model.ServiceSpec;
import org.ailtire.swarm.Labels;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

class DroppedChildStacksTest {
    private final List<String> steps = Collections.synchronizedList(new ArrayList<>());
    private final List<ApplyEvent> progress = new ArrayList<>();
    private final Map<String, List<String>> leftovers = new HashMap<>();

    private final DroppedChildStacks.Engine engine = new DroppedChildStacks.Engine() {
        @Override
        public List<String> removeSubtree(String path) {
            steps.add("remove at or below " + path);
            return List.of();
        }

        @Override
        public List<String> leftOf(DroppedChildStacks.Dropped child) {
            return leftovers.getOrDefault(child.key(), List.of());
        }
    };

    /** A child that confirms or not, recording what it was asked. */
    private ChildStackRetirement children(Map<String, Boolean> confirms) {
        return new ChildStackRetirement() {
            @Override
            public CompletableFuture<Confirmation> shutDown(String key) {
                steps.add("shut down " + key);
                return CompletableFuture.completedFuture(confirms.get(key)
                        ? new Confirmation(true, "") : new Confirmation(false, "unreachable"));
            }

            @Override
            public void removed(String key) {
                steps.add("forget " + key);
            }
        };
    }

    private static Service service(String name, Map<String, String> labels) {
        return new Service().withSpec(new ServiceSpec().withName(name).withLabels(labels));
    }

    private static Service controller(String key) {
        return service("shop-backend_" + key, Map.of(Labels.KIND, Labels.KIND_STACK, Labels.KEY, key,
                Labels.STACK_PATH, "/shop/backend", Labels.NAMESPACE, "shop-backend"));
    }

    private static List<String> lines(List<ApplyEvent> events) {
        return events.stream().map(ApplyEvent::toString).toList();
    }

    @Test
    void onlyTheControllersOfChildStacksAreDroppedChildren() {
        Service ordinary = service("shop-backend_api", Map.of(Labels.KEY, "api", Labels.STACK_PATH, "/shop/backend"));
        DroppedChildStacks dropped = DroppedChildStacks.among(List.of(ordinary, controller("db")), engine);

        assertThat(dropped.children()).containsExactly(
                new DroppedChildStacks.Dropped("db", "/shop/backend/db", "shop-backend_db"));
    }

    @Test
    void everyChildIsAskedFirstThenWhatIsLeftBelowItIsRemovedThenItIsForgotten() {
        DroppedChildStacks dropped = DroppedChildStacks.among(List.of(controller("db"), controller("cache")), engine);
        ChildStackRetirement retirement = children(Map.of("db", true, "cache", true));

        dropped.beforeRemoval(retirement, progress::add);
        steps.add("the apply removes the controllers");
        dropped.afterRemoval(retirement, progress::add);

        assertThat(steps).containsExactly("shut down db", "shut down cache",
                "remove at or below /shop/backend/db", "remove at or below /shop/backend/cache",
                "the apply removes the controllers",
                "remove at or below /shop/backend/db", "forget db",
                "remove at or below /shop/backend/cache", "forget cache");
        assertThat(lines(progress)).containsExactly(
                "shutdown child stack db: shutting down child stack db (its own child stacks first)",
                "shutdown child stack cache: shutting down child stack cache (its own child stacks first)",
                "shutdown child stack db: shut down",
                "shutdown child stack cache: shut down",
                "remove child stack db: db: 0 objects left; unregistered",
                "remove child stack cache: cache: 0 objects left; unregistered");
    }

    @Test
    void aChildThatCannotBeAskedIsRemovedByItsLabels() {
        DroppedChildStacks dropped = DroppedChildStacks.among(List.of(controller("db")), engine);

        dropped.beforeRemoval(children(Map.of("db", false)), progress::add);

        assertThat(steps).containsExactly("shut down db", "remove at or below /shop/backend/db");
        assertThat(lines(progress)).contains("shutdown child stack db: did not shut down (unreachable): removing what"
                + " is labelled at or below /shop/backend/db");
    }

    @Test
    void aChildWithObjectsLeftIsReportedAndNotForgotten() {
        DroppedChildStacks dropped = DroppedChildStacks.among(List.of(controller("db")), engine);
        leftovers.put("db", List.of("network shop-backend-db_default"));

        dropped.afterRemoval(children(Map.of("db", true)), progress::add);

        assertThat(steps).doesNotContain("forget db");
        assertThat(lines(progress)).containsExactly(
                "remove child stack db: db: 1 objects left: network shop-backend-db_default");
    }

    @Test
    void aRetirementThatFailsCountsAsNotConfirmed() {
        DroppedChildStacks dropped = DroppedChildStacks.among(List.of(controller("db")), engine);
        ChildStackRetirement failing = new ChildStackRetirement() {
            @Override
            public CompletableFuture<Confirmation> shutDown(String key) {
                return CompletableFuture.failedFuture(new IllegalStateException("boom"));
            }

            @Override
            public void removed(String key) {
            }
        };

        dropped.beforeRemoval(failing, progress::add);

        assertThat(lines(progress).get(1)).startsWith("shutdown child stack db: did not shut down (");
        assertThat(steps).containsExactly("remove at or below /shop/backend/db");
    }
}
