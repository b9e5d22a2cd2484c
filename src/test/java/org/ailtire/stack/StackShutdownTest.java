package org.ailtire.stack;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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

    @Test
    void anUpdatePreparedWhileTheShutdownStartsIsRefusedInsteadOfRunningAfterIt() throws Exception {
        FakeStack stack = FakeStack.simple("top");
        stack.setService("web", Status.State.RUNNING);
        stack.prepareGate = new java.util.concurrent.CountDownLatch(1);
        CompletableFuture<Object> update = CompletableFuture.supplyAsync(() -> {
            try {
                return stack.update(new UpdateRequest(List.of(), Map.of(), "services: {}\n"), "test");
            } catch (Exception e) {
                return e;
            }
        });
        assertThat(stack.preparing.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Void> shutdown = stack.shutdown("test");
        shutdown.join();
        stack.prepareGate.countDown();
        assertThat(update.get(10, java.util.concurrent.TimeUnit.SECONDS)).isInstanceOfSatisfying(
                IllegalStateException.class, e -> assertThat(e).hasMessage("stack top is shutting down"));
        assertThat(stack.events).containsExactly("stop own services");
    }
}
