package org.ailtire.protocol;

import org.ailtire.stack.Json;
import org.ailtire.stack.Registration;
import org.ailtire.stack.StackToken;
import org.ailtire.stack.Status;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A parent's shutdown of a child, against a small HTTP server on loopback standing in for the child's controller. */
class HttpChildCommandsTest {
    private static final StackToken PARENT = StackToken.of("0123456789abcdef0123456789abcdef");
    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private final AtomicInteger shutdownAnswer = new AtomicInteger(202);
    private HttpServer child;

    private Registration startChild() throws Exception {
        child = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        child.createContext("/api/v1/", exchange -> {
            authorizations.add(exchange.getRequestHeaders().getFirst("Authorization"));
            byte[] body = exchange.getRequestURI().getPath().endsWith("/status")
                    ? Json.MAPPER.writeValueAsBytes(Status.stack("shop", Status.State.STOPPED, "", null, Instant.now(),
                    List.of()))
                    : "{}".getBytes(StandardCharsets.UTF_8);
            int code = exchange.getRequestURI().getPath().endsWith("/shutdown") ? shutdownAnswer.get() : 200;
            exchange.sendResponseHeaders(code, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        child.start();
        return new Registration("shop", "http://127.0.0.1:" + child.getAddress().getPort(), "top_shop");
    }

    @AfterEach
    void stop() {
        if (child != null) {
            child.stop(0);
        }
    }

    @Test
    void theChildIsCalledWithTheTokenDerivedForItNeverTheParents() throws Exception {
        Registration shop = startChild();
        new HttpChildCommands(PARENT, Duration.ofMillis(50)).shutdown(shop).get(10, TimeUnit.SECONDS);
        assertThat(authorizations).hasSize(2).containsOnly("Bearer " + PARENT.child("shop").value());
    }

    @Test
    void aChildThatRefusesTheDerivedTokenIsNamedWithTheLikelyReason() throws Exception {
        Registration shop = startChild();
        shutdownAnswer.set(401);
        assertThatThrownBy(() -> new HttpChildCommands(PARENT, Duration.ofMillis(50)).shutdown(shop)
                .get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .hasMessageContaining("child shop refused to shut down: HTTP 401")
                .hasMessageContaining("before per-stack tokens");
    }
}
