package org.ailtire.stack;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class StackShutdownTest {
    @Test
    void childStacksShutDownBeforeTheOwnServices() {
        Clock clock = Clock.systemUTC();
        CompletableFuture<Void> childDone = new CompletableFuture<>();
        FakeStack[] holder = new FakeStack[1];
        ChildCommands commands = child -> {
            holder[0].events.add("shutdown child " + child.name());
            return childDone;
        };
        FakeStack stack = new FakeStack("top", new ChildRegistry(clock, Duration.ofSeconds(10), 3), commands, clock);
        holder[0] = stack;
        stack.setService("web", Status.State.RUNNING);
        stack.childStacks.put("shop", "http://shop:3000");
        stack.register(new Registration("shop", "http://shop:3000", "shop_ctl"));

        CompletableFuture<Void> shutdown = stack.shutdown();
        assertThat(stack.shutdown()).as("asking twice gives the same shutdown").isSameAs(shutdown);
        assertThat(stack.status().state()).isEqualTo(Status.State.STOPPING);
        assertThat(stack.events).containsExactly("shutdown child shop");

        childDone.complete(null);
        shutdown.join();
        assertThat(stack.events).containsExactly("shutdown child shop", "stop own services");
        await().until(() -> stack.status().state() == Status.State.STOPPED);
    }
}
