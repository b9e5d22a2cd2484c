package org.ailtire.api;

import io.vertx.core.Vertx;
import org.ailtire.protocol.HttpParentChannel;
import org.ailtire.stack.FakeStack;
import org.ailtire.stack.ParentLink;
import org.ailtire.stack.Registration;
import org.ailtire.stack.Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A child's link against a real parent control plane (with a fake stack behind it), including a restart. */
class ParentLinkTest {
    private static final String TOKEN = "tree-token";
    private final Vertx vertx = Vertx.vertx();
    private AdminServer parentServer;

    @AfterEach
    void stop() {
        if (parentServer != null) {
            parentServer.close();
        }
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    private FakeStack startParent(int port) {
        FakeStack parent = FakeStack.simple("top");
        parent.childStacks.put("shop", "http://shop:3000");
        parentServer = new AdminServer(vertx, parent, ServerSettings.of("127.0.0.1", port, TOKEN));
        int bound = parentServer.start().join();
        assertThat(port == 0 || bound == port).isTrue();
        lastPort = bound;
        return parent;
    }

    private int lastPort;

    @Test
    void registersPushesChangesAndRegistersAgainAfterTheParentRestarts() {
        FakeStack parent = startParent(0);
        FakeStack child = FakeStack.simple("shop");
        child.setService("cart", Status.State.RUNNING);

        // As in a tree: the child holds its own token, which the parent derives to check it.
        String childToken = org.ailtire.stack.StackToken.of(TOKEN).child("shop").value();
        ParentLink.Settings settings = new ParentLink.Settings(new Registration("shop", "http://shop:3000", "shop_ctl"), Duration.ofMillis(300),
                Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(400));
        try (ParentLink link = new ParentLink(settings,
                new HttpParentChannel(URI.create("http://127.0.0.1:" + lastPort), childToken))) {
            child.watch(link::statusChanged);
            link.start();

            await().atMost(Duration.ofSeconds(10)).until(() -> parent.children().find("shop")
                    .map(c -> c.status().aggregate()).orElse(null) == org.ailtire.stack.Aggregate.HEALTHY);

            child.setService("cart", Status.State.FAILED);
            await().atMost(Duration.ofSeconds(10)).until(() -> parent.children().find("shop").orElseThrow()
                    .status().aggregate() == org.ailtire.stack.Aggregate.FAILED);
            assertThat(link.registrations()).isEqualTo(1);

            int port = lastPort;
            parentServer.close();
            await().atMost(Duration.ofSeconds(10)).until(() -> !link.isRegistered());

            // A new parent knows nobody: the child is seen there again only through a second registration.
            FakeStack restarted = startParent(port);
            await().atMost(Duration.ofSeconds(10)).until(() -> restarted.children().find("shop")
                    .map(c -> c.status().aggregate()).orElse(null) == org.ailtire.stack.Aggregate.FAILED);
            assertThat(link.registrations()).isEqualTo(2);
        }
    }

    @Test
    void aParentThatForgetsTheChildGetsARegistrationAgain() {
        FakeStack parent = startParent(0);
        FakeStack child = FakeStack.simple("shop");
        ParentLink.Settings settings = new ParentLink.Settings(new Registration("shop", "http://shop:3000", "shop_ctl"), Duration.ofMillis(200),
                Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(400));
        try (ParentLink link = new ParentLink(settings,
                new HttpParentChannel(URI.create("http://127.0.0.1:" + lastPort), TOKEN))) {
            child.watch(link::statusChanged);
            link.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> parent.children().find("shop").isPresent());
            parent.children().remove("shop");
            await().atMost(Duration.ofSeconds(10)).until(() -> link.registrations() == 2
                    && parent.children().find("shop").isPresent());
        }
    }
}
