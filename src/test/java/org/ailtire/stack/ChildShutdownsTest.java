package org.ailtire.stack;

import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

class ChildShutdownsTest {
    private final ChildRegistry registry = new ChildRegistry(Clock.systemUTC(), Duration.ofSeconds(10), 3);
    private final Registration db = new Registration("db", "http://db:8080", "db");

    @Test
    void aChildThatConfirmsIsShutDown() {
        List<String> asked = new ArrayList<>();
        ChildShutdowns shutdowns = new ChildShutdowns(registry, child -> {
            asked.add(child.url());
            return CompletableFuture.completedFuture(null);
        }, Duration.ofSeconds(5));

        assertThat(shutdowns.ask(db).join()).isEqualTo(new ChildShutdowns.Outcome("db", true, ""));
        assertThat(asked).containsExactly("http://db:8080");
    }

    @Test
    void aChildThatCannotBeReachedIsNotConfirmedAndSaysWhy() {
        ChildShutdowns shutdowns = new ChildShutdowns(registry,
                child -> CompletableFuture.failedFuture(new ConnectException("db: Name does not resolve")),
                Duration.ofSeconds(5));

        ChildShutdowns.Outcome outcome = shutdowns.ask(db).join();
        assertThat(outcome.confirmed()).isFalse();
        assertThat(outcome.why()).isEqualTo("db: Name does not resolve");
    }

    @Test
    void aSilentChildIsGivenUpOnAfterTheBound() {
        ChildShutdowns shutdowns = new ChildShutdowns(registry, child -> new CompletableFuture<>(), Duration.ofMillis(50));

        ChildShutdowns.Outcome outcome = shutdowns.ask(db).join();
        assertThat(outcome.confirmed()).isFalse();
        assertThat(outcome.why()).isEqualTo("no confirmation within 50ms");
    }

    @Test
    void commandsThatThrowAreAnOutcomeToo() {
        ChildShutdowns shutdowns = new ChildShutdowns(registry, child -> {
            throw new IllegalStateException("no client");
        }, Duration.ofSeconds(5));

        assertThat(shutdowns.ask(db).join()).isEqualTo(new ChildShutdowns.Outcome("db", false, "no client"));
    }

    @Test
    void aForgottenChildIsNoLongerRegisteredNorInTheStatus() {
        FakeStack stack = new FakeStack("backend", registry, child -> CompletableFuture.completedFuture(null),
                Clock.systemUTC());
        stack.childStacks.put(db.name(), db.url());
        stack.childStacks.put("cache", "http://cache:8080");
        stack.register(db);
        stack.register(new Registration("cache", "http://cache:8080", "cache"));
        ChildShutdowns shutdowns = new ChildShutdowns(registry, child -> CompletableFuture.completedFuture(null),
                Duration.ofSeconds(5));
        assertThat(shutdowns.registered("db")).contains(db);

        assertThat(shutdowns.forget("db")).isTrue();
        assertThat(shutdowns.forget("db")).as("once").isFalse();
        assertThat(shutdowns.registered("db")).isEmpty();
        assertThat(stack.status().children()).extracting(Status::name).containsExactly("cache");
    }
}
