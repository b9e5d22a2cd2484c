package org.ailtire.protocol;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The register call as an original child sends it, against a small parent on loopback. */
class OriginalSidecarClientTest {
    private HttpServer parent;
    private final List<String> calls = new CopyOnWriteArrayList<>();
    private final AtomicInteger failuresLeft = new AtomicInteger();

    @BeforeEach
    void startParent() throws IOException {
        parent = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        parent.createContext("/", exchange -> {
            calls.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getRawPath() + "?"
                    + exchange.getRequestURI().getRawQuery() + " auth=" + exchange.getRequestHeaders().getFirst("Authorization"));
            boolean fail = failuresLeft.getAndDecrement() > 0;
            byte[] body = (fail ? "not yet" : "{\"status\":\"ok\"}").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(fail ? 503 : 200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        parent.start();
    }

    @AfterEach
    void stopParent() {
        parent.stop(0);
    }

    private OriginalSidecarClient.Registration registration() {
        return new OriginalSidecarClient.Registration(
                URI.create("http://127.0.0.1:" + parent.getAddress().getPort()), "shop_backend-1", "0f9e8d7c6b5a:3000",
                "backend");
    }

    @Test
    void theQueryIsTheOriginalsWithTheTestSuffixAndNoToken() throws Exception {
        try (var client = new OriginalSidecarClient(registration())) {
            client.registerOnce();
        }
        assertThat(calls).containsExactly(
                "GET /_admin/register?name=shop_backend-1&url=0f9e8d7c6b5a:3000&service=backend/test auth=null");
    }

    @Test
    void aParentThatRefusesFailsTheAttemptWithItsAnswer() {
        failuresLeft.set(1);
        try (var client = new OriginalSidecarClient(registration())) {
            assertThatThrownBy(client::registerOnce).isInstanceOf(IOException.class)
                    .hasMessage("the parent answered 503: not yet");
        }
    }

    @Test
    void itRegistersAgainOnlyWhileItFails() {
        failuresLeft.set(2);
        try (var client = new OriginalSidecarClient(registration(), Duration.ofMillis(50))) {
            client.start();
            await().atMost(Duration.ofSeconds(10)).until(client::registered);
            assertThat(calls).hasSize(3);
            await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> calls.size() == 3);
        }
    }

    @Test
    void closingStopsTheRetries() {
        failuresLeft.set(Integer.MAX_VALUE);
        var client = new OriginalSidecarClient(registration(), Duration.ofMillis(50));
        client.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> calls.size() >= 1);
        client.close();
        int afterClose = calls.size();
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> calls.size() <= afterClose + 1);
        assertThat(client.registered()).isFalse();
    }

    @Test
    void aValueIsEncodedWhereTheQueryNeedsIt() {
        var registration = new OriginalSidecarClient.Registration(URI.create("http://admin:3000/"), "a b&c", "h:1", "s");
        assertThat(registration.registerUri().toString())
                .isEqualTo("http://admin:3000/_admin/register?name=a%20b%26c&url=h:1&service=s/test");
    }
}
