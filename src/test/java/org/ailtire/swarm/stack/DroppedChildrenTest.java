package org.ailtire.swarm.stack;

import org.ailtire.stack.ChildRegistry;
import org.ailtire.stack.ChildShutdowns;
import org.ailtire.stack.Registration;
import org.ailtire.swarm.apply.ChildStackRetirement;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

class DroppedChildrenTest {
    private final ChildRegistry registry = new ChildRegistry(Clock.systemUTC(), Duration.ofSeconds(10), 3);
    private final List<String> asked = new ArrayList<>();
    private final DroppedChildren dropped = new DroppedChildren(new ChildShutdowns(registry, child -> {
        asked.add(child.name() + " at " + child.url());
        return CompletableFuture.completedFuture(null);
    }, Duration.ofSeconds(5)), 8080, key -> {
        asked.add("join the parent network of " + key);
        return () -> asked.add("leave the parent network of " + key);
    });

    @Test
    void aRegisteredChildIsAskedWhereItRegistered() {
        registry.register(new Registration("db", "http://db:9000", "db"));

        assertThat(dropped.shutDown("db").join()).isEqualTo(new ChildStackRetirement.Confirmation(true, ""));
        assertThat(asked).containsExactly("join the parent network of db", "db at http://db:9000",
                "leave the parent network of db");
    }

    @Test
    void aChildNotRegisteredYetIsAskedOnItsParentNetwork() {
        // A parent restarted with the new definition applies it before its children registered again.
        dropped.shutDown("Db_2").join();

        assertThat(asked).containsExactly("join the parent network of Db_2", "Db_2 at http://db-2:8080",
                "leave the parent network of Db_2");
    }

    @Test
    void aDroppedChildsShutdownIsFollowedByTheEndOfItsTreeAndAFailureThereIsNoConfirmation() {
        List<String> retired = new ArrayList<>();
        registry.register(Registration.original("legacy", "http://legacy:3000", "legacy"));
        DroppedChildren withTrees = new DroppedChildren(new ChildShutdowns(registry, child -> {
            asked.add(child.name() + " at " + child.url());
            return CompletableFuture.completedFuture(null);
        }, Duration.ofSeconds(5)), 8080, key -> () -> { }, key -> {
            retired.add(key + " after " + asked);
            if (key.equals("broken")) {
                throw new IllegalStateException("its family network is still in use");
            }
        });

        assertThat(withTrees.shutDown("legacy").join()).isEqualTo(new ChildStackRetirement.Confirmation(true, ""));
        assertThat(retired).containsExactly("legacy after [legacy at http://legacy:3000]");
        assertThat(withTrees.shutDown("broken").join()).isEqualTo(new ChildStackRetirement.Confirmation(false,
                "after its shutdown: its family network is still in use"));
    }

    @Test
    void aRemovedChildIsUnregistered() {
        registry.register(new Registration("db", "http://db:8080", "db"));

        dropped.removed("db");

        assertThat(registry.find("db")).isEmpty();
        assertThat(registry.statuses()).isEmpty();
    }
}
