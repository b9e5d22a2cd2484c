package org.ailtire.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import org.ailtire.cli.Main;
import org.ailtire.stack.Json;
import org.ailtire.swarm.testsupport.TestSwarm;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The tree's definition policy through the CLI and the real controller image: refused at deploy without the setting
 * (nothing created), then given at deploy, narrowed by the top definition, received by the child controller (which
 * applies its definition under it) and shown in the status of both stacks.
 */
@Tag("integration")
class DefinitionPolicyIT {
    private static final String STACK = """
            x-ailtire-policy:
              allow_cap: [NET_ADMIN]
            services:
              web:
                image: %1$s
                command: ["sleep", "600"]
                stop_grace_period: 1s
              backend:
                x-ailtire:
                  stack: |
                    services:
                      db:
                        image: %1$s
                        command: ["sleep", "600"]
                        stop_grace_period: 1s
                        cap_add: [NET_ADMIN]
            """;

    @Test
    void aPolicyGivenAtDeployReachesTheChildNarrowedAndIsShownInStatus(@TempDir Path temp) throws Exception {
        String app = "it-pol-" + UUID.randomUUID().toString().substring(0, 6);
        int port = freePort();
        int adminPort = freePort();
        while (adminPort == port) {
            adminPort = freePort();
        }
        Path home = temp.resolve("home");
        Path definition = Files.writeString(temp.resolve("stack.yml"), STACK.formatted(TestSwarm.BUSYBOX));
        Path unnarrowed = Files.writeString(temp.resolve("unnarrowed.yml"), STACK.formatted(TestSwarm.BUSYBOX)
                .replace("x-ailtire-policy:\n  allow_cap: [NET_ADMIN]\n", ""));
        List<String> deploy = List.of("deploy", "-f", definition.toString(), "--app", app, "--port",
                Integer.toString(port), "--admin-port", Integer.toString(adminPort), "--timeout", "PT4M",
                "--image", controllerImage());
        try {
            CliRun widening = CliRun.of(home, deploy.toArray(String[]::new));
            assertThat(widening.code()).as(widening.output()).isEqualTo(Main.FAILED);
            assertThat(widening.output()).contains("services." + app + ".x-ailtire.stack.x-ailtire-policy: refused: "
                    + "allow_cap NET_ADMIN is not allowed by the policy this stack received (deploy --allow-cap NET_ADMIN)");
            List<String> withoutNarrowing = new ArrayList<>(deploy);
            withoutNarrowing.set(2, unnarrowed.toString());
            CliRun refused = CliRun.of(home, withoutNarrowing.toArray(String[]::new));
            assertThat(refused.code()).as(refused.output()).isEqualTo(Main.FAILED);
            assertThat(refused.output()).contains("services." + app + ".x-ailtire.stack.services.backend.x-ailtire."
                    + "stack.services.db.cap_add[0]: refused: capability NET_ADMIN is beyond docker's default set; "
                    + "allowed by the tree's policy: deploy --allow-cap NET_ADMIN");
            assertThat(leftovers(app)).as("objects after refused deploys").isEmpty();

            List<String> allowed = new ArrayList<>(deploy);
            allowed.addAll(List.of("--allow-cap", "NET_ADMIN", "--allow-cap", "SYS_TIME"));
            CliRun deployed = CliRun.of(home, allowed.toArray(String[]::new));
            assertThat(deployed.code()).as(deployed.output()).isEqualTo(Main.OK);

            CliRun status = CliRun.of(home, "status", "--app", app, "--json");
            assertThat(status.code()).as(status.output()).isEqualTo(Main.OK);
            JsonNode root = Json.MAPPER.readTree(status.output().lines().filter(l -> l.startsWith("{")).findFirst()
                    .orElseThrow(() -> new AssertionError("no JSON in: " + status.output())));
            assertThat(root.at("/policy/allow_cap").toString()).isEqualTo("[\"NET_ADMIN\",\"SYS_TIME\"]");
            JsonNode backend = null;
            for (JsonNode child : root.get("children")) {
                if (child.get("name").asText().equals("backend")) {
                    backend = child;
                }
            }
            assertThat(backend).as(root.toString()).isNotNull();
            assertThat(backend.at("/policy/allow_cap").toString()).as("the child's own report")
                    .isEqualTo("[\"NET_ADMIN\"]");
            assertThat(backend.at("/policy/allow_bind").toString()).isEqualTo("[]");

            CliRun table = CliRun.of(home, "status", "--app", app);
            assertThat(table.output()).contains("POLICY  cap_add NET_ADMIN, cap_add SYS_TIME");
        } finally {
            CliRun shutdown = CliRun.of(home, "shutdown", "--app", app, "--yes");
            List<String> left = leftovers(app);
            assertThat(left).as("labelled objects left after shutdown (" + shutdown.output() + ")").isEmpty();
        }
    }

    private static List<String> leftovers(String app) {
        List<String> left = new ArrayList<>();
        for (String namespace : List.of(app + "-root", app, app + "-backend")) {
            try (TestSwarm swarm = TestSwarm.of(namespace)) {
                left.addAll(swarm.leftovers());
            }
        }
        return left;
    }

    /** The controller image under test: AILTIRE_IT_CONTROLLER_IMAGE, else ailtire/controller:local. */
    private static String controllerImage() {
        String image = System.getenv("AILTIRE_IT_CONTROLLER_IMAGE");
        return image == null || image.isBlank() ? "ailtire/controller:local" : image;
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
