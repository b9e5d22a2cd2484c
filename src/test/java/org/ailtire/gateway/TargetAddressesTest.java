package org.ailtire.gateway;

import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.UnknownHostException;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TargetAddressesTest {
    private final Vertx vertx = Vertx.vertx();
    private final TargetAddresses addresses = new TargetAddresses(vertx, Duration.ofMillis(200));

    @AfterEach
    void close() {
        addresses.close();
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    private SocketAddress of(String host, int port) throws Exception {
        return addresses.of(new TargetResolver.Address(host, port)).toCompletionStage().toCompletableFuture().get();
    }

    @Test
    void aNameBecomesAnAddressWithoutTheNameSoTheClientPoolsPerTask() throws Exception {
        SocketAddress address = of("localhost", 8080);
        assertThat(address.port()).isEqualTo(8080);
        assertThat(address.hostAddress()).isIn("127.0.0.1", "0:0:0:0:0:0:0:1");
        assertThat(address.hostName()).as("no name carried along").isNull();
        assertThat(of("127.0.0.1", 9000).hostAddress()).isEqualTo("127.0.0.1");
    }

    @Test
    void anAddressIsKeptForTheGivenTimeThenAskedAgain() throws Exception {
        SocketAddress first = of("127.0.0.1", 8080);
        assertThat(of("127.0.0.1", 8080)).as("kept: the very same object").isSameAs(first);
        Thread.sleep(300);
        assertThat(of("127.0.0.1", 8080)).as("asked again after the time").isNotSameAs(first).isEqualTo(first);
    }

    @Test
    void anUnknownNameFails() {
        assertThatThrownBy(() -> of("no-such-target.invalid", 80)).hasCauseInstanceOf(UnknownHostException.class);
    }
}
