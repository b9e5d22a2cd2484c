package org.ailtire.protocol;

import org.ailtire.stack.ParentChannel.Answer;
import org.ailtire.stack.Registration;
import org.ailtire.stack.Status;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.net.URI;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What a ParentLink learns from its parent's answers, against a stand-in parent on loopback. */
class HttpParentChannelTest {
    private static final Registration SHOP = new Registration("shop", "http://shop:3000", "top_shop");

    @Test
    void anAcceptedRegistrationIsOkAndARefusedReportSaysWhy() throws Exception {
        try (ProtocolServer parent = new ProtocolServer();
             HttpParentChannel channel = new HttpParentChannel(parent.url(), "child-token")) {
            parent.answer("POST /api/v1/register", ProtocolServer.Answer.json(201, "{\"name\":\"shop\"}"))
                    .answer("POST /api/v1/children/shop/report",
                            ProtocolServer.Answer.json(404, "{\"error\":\"no child shop\"}"));
            assertThat(channel.register(SHOP).ok()).isTrue();
            Answer report = channel.report("shop", Status.stack("shop", Status.State.RUNNING, "", null, Instant.now(),
                    List.of()));
            assertThat(report.ok()).isFalse();
            assertThat(report).hasToString("HTTP 404 no child shop");
            assertThat(parent.received).allSatisfy(request -> {
                assertThat(request.header("Authorization")).isEqualTo("Bearer child-token");
                assertThat(request.header("X-Ailtire-Actor")).isNull();
            });
            assertThat(channel).hasToString(parent.url().toString());
        }
    }

    @Test
    void aParentNobodyListensForIsUnreachable() throws Exception {
        int free;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            free = socket.getLocalPort();
        }
        try (HttpParentChannel channel = new HttpParentChannel(URI.create("http://127.0.0.1:" + free), "t")) {
            assertThat(channel.register(SHOP)).isEqualTo(Answer.UNREACHABLE)
                    .hasToString("nothing (parent unreachable)");
        }
    }
}
