package org.ailtire.controller;

import com.github.dockerjava.api.model.Container;
import org.ailtire.stack.StackToken;
import org.ailtire.stack.Status;
import org.ailtire.swarm.testsupport.TestSwarm;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Per-stack tokens on the real engine: the demo tree (shop, backend, db) plus a sibling stack of backend, {@code extra}.
 * The top's token drives the whole tree; a child's own token (read from its controller's secret) opens nothing at its
 * parent, its sibling or its own child; a descendant's token, derived from the top's, opens that descendant.
 */
@Tag("integration")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TokensIT {
    private static final int ADMIN = org.ailtire.swarm.topology.ControllerSettings.DEFAULT_ADMIN_PORT;
    private static final String SIBLING = """
              extra:
                x-ailtire:
                  stack: "services: {idle: {image: ailtire/busybox:local, command: [sleep, '86400'], stop_grace_period: 1s}}"
            """;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private DeployedDemo demo;
    private StackToken top;

    @BeforeAll
    void deploy(@TempDir Path temp) throws Exception {
        demo = DeployedDemo.deploy("it-tok", temp, "[tokens]", definitions -> Files.writeString(
                definitions.resolve("stack.yml"), SIBLING, StandardOpenOption.APPEND));
        demo.requireDeployed();
        top = StackToken.of(demo.token);
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            Status status = demo.client.status();
            return DeployedDemo.whole(status)
                    && DeployedDemo.state(status, "extra", "idle").equals(Optional.of(Status.State.RUNNING));
        });
    }

    @AfterAll
    void removeEverything() {
        if (demo != null) {
            String extra = demo.app + "-extra";
            demo.close();
            try (TestSwarm swarm = TestSwarm.of(extra)) {
                swarm.removeAll();
            }
        }
    }

    @Test
    @Order(1)
    void theTopsTokenDrivesTheWholeTree() throws Exception {
        Status status = demo.client.status();
        assertThat(DeployedDemo.state(status, "backend", "db", "postgres")).hasValue(Status.State.RUNNING);
        // A grandchild's logs through the top: the top calls backend with backend's token, backend db with db's.
        HttpResponse<String> logs = fromHost("GET", "/api/v1/logs?service=backend/db/postgres&tail=5&follow=false",
                demo.token);
        assertThat(logs.statusCode()).as(logs.body()).isEqualTo(200);
        assertThat(logs.body()).contains("\"service\":\"backend/db/postgres\"");

        DeployedDemo.Run preview = demo.cli("update", "--app", demo.app, "-f",
                demo.definitions.resolve("stack.yml").toString(), "-e", "GREETING=changed by TokensIT", "--preview");
        assertThat(preview.code()).as(preview.output()).isZero();
        assertThat(preview.output()).contains("update [backend]");
    }

    @Test
    @Order(2)
    void aChildsOwnTokenOpensNothingAtItsParentItsSiblingOrItsChild() throws Exception {
        Container topController = demo.runningContainer(demo.app + "-root_" + demo.app);
        Container backendController = demo.runningContainer(demo.app + "_backend");
        String backend = ownToken(backendController);
        assertThat(backend).as("backend's secret holds the token derived for it, not the tree's")
                .isEqualTo(top.child("backend").value()).isNotEqualTo(demo.token);
        assertThat(ownToken(demo.runningContainer(demo.app + "_extra"))).isEqualTo(top.child("extra").value());

        for (String call : List.of("GET /api/v1/status", "GET /_admin/status", "GET /api/v1/definition",
                "GET /api/v1/logs?tail=1", "POST /api/v1/update/preview", "POST /api/v1/update",
                "POST /api/v1/shutdown")) {
            String[] parts = call.split(" ");
            HttpResponse<String> answer = fromHost(parts[0], parts[1], backend);
            assertThat(answer.statusCode()).as("backend's token at the top: " + call).isEqualTo(401);
        }
        HttpResponse<String> asSibling = http.send(HttpRequest.newBuilder(demo.adminUrl.resolve("/api/v1/register"))
                .header("Authorization", "Bearer " + backend).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"extra\",\"url\":\"http://extra:" + ADMIN
                        + "\",\"service\":\"extra\"}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(asSibling.statusCode()).as("backend registering as its sibling").isEqualTo(401);

        assertThat(demo.answerFrom(topController, "extra", ADMIN, "GET", "/api/v1/status", backend))
                .as("backend's token at its sibling").isEqualTo(401);
        assertThat(demo.answerFrom(topController, "extra", ADMIN, "POST", "/api/v1/shutdown", backend))
                .as("backend's token at its sibling").isEqualTo(401);
        assertThat(demo.answerFrom(topController, "extra", ADMIN, "GET", "/api/v1/status", top.child("extra").value()))
                .as("the sibling answers its own token").isEqualTo(200);
        assertThat(demo.answerFrom(backendController, "db", ADMIN, "GET", "/api/v1/status", backend))
                .as("a parent's token is not its child's: callers derive").isEqualTo(401);

        Status after = demo.client.status();
        assertThat(DeployedDemo.whole(after)).as("nothing was shut down or changed").isTrue();
        assertThat(DeployedDemo.state(after, "extra", "idle")).hasValue(Status.State.RUNNING);
    }

    @Test
    @Order(3)
    void aDescendantsTokenDerivedFromTheTopsOpensThatDescendant() throws Exception {
        Container topController = demo.runningContainer(demo.app + "-root_" + demo.app);
        Container backendController = demo.runningContainer(demo.app + "_backend");
        Container dbController = demo.runningContainer(demo.app + "-backend_db");
        String db = top.descendant("backend/db").value();
        assertThat(ownToken(dbController)).isEqualTo(db);
        assertThat(demo.answerFrom(backendController, "db", ADMIN, "GET", "/api/v1/status", db)).isEqualTo(200);
        assertThat(demo.answerFrom(topController, "backend", ADMIN, "GET", "/api/v1/status", top.child("backend").value()))
                .isEqualTo(200);
        assertThat(demo.answerFrom(dbController, "127.0.0.1", ADMIN, "GET", "/api/v1/status", demo.token))
                .as("the top's token itself is not db's").isEqualTo(401);
    }

    @Test
    @Order(4)
    void theTopShutsTheTreeDownWithTheDerivedTokens() {
        DeployedDemo.Run shutdown = demo.cli("shutdown", "--app", demo.app, "--yes");
        assertThat(shutdown.code()).as(shutdown.output()).isZero();
        assertThat(shutdown.output()).doesNotContain("refused");
        List<String> left = new java.util.ArrayList<>(demo.objectsLeft());
        left.addAll(TestSwarm.leftovers(demo.docker, demo.app + "-extra"));
        assertThat(left).as("nothing left but the database's named volume")
                .allSatisfy(o -> assertThat(o).contains(demo.dataVolume()));
    }

    private String ownToken(Container controller) throws InterruptedException {
        return demo.execOutput(controller, "cat", "/run/secrets/ailtire_token").strip();
    }

    private HttpResponse<String> fromHost(String method, String path, String bearer) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(demo.adminUrl.resolve(path)).timeout(Duration.ofSeconds(20))
                .header("Authorization", "Bearer " + bearer);
        if (method.equals("POST")) {
            request.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}"));
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
