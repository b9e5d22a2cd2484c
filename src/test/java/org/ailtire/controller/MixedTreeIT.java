package org.ailtire.controller;

import org.ailtire.protocol.LogSelection;
import org.ailtire.stack.LogLine;
import org.ailtire.stack.LogRequest;
import org.ailtire.stack.Status;
import org.ailtire.swarm.testsupport.TestSwarm;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import static org.ailtire.swarm.testsupport.DockerCli.dockerQuietly;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A mixed three-level tree: the top is ours (deployed by the CLI like the other ITs), its child {@code middle} is the
 * protocol double of the original Node.js sidecar (images/original-double, marked {@code x-ailtire: {compatibility:
 * original}}), and the middle's child {@code bottom} is ours again, in compatibility mode, deployed by the double from
 * its own definition (a config in /app) onto the family network the top made for it. The top shows the whole tree,
 * reads the bottom service's log through the middle, and its shutdown leaves nothing of any of the three namespaces.
 */
@Tag("integration")
class MixedTreeIT {
    private static final String DOUBLE_IMAGE = "ailtire/original-double:local";
    private static final String KNOWN_LINE = "echo up at the bottom of a mixed tree";
    private static final String TOP = """
            services:
              middle:
                image: %s
                x-ailtire: {compatibility: original}
                configs:
                  - {source: middle_definition, target: /app/docker-compose.yml}
                  - {source: bottom_definition, target: /app/bottom.yml}
            configs:
              middle_definition: {file: ./middle.yml}
              bottom_definition: {file: ./bottom.yml}
            """.formatted(DOUBLE_IMAGE);
    /** The middle's (the double's) definition: our controller as its child stack {@code bottom}. */
    private static final String MIDDLE = OriginalChildDefinition.withOurController("bottom",
            DeployedDemo.CONTROLLER_IMAGE);
    private static final String BOTTOM = """
            services:
              echo:
                image: ailtire/busybox:local
                command: ["sh", "-c", "echo %s; while true; do sleep 1; done"]
                stop_grace_period: 1s
            """.formatted(KNOWN_LINE);

    private DeployedDemo demo;
    private String middleStack;
    private String bottomStack;

    @AfterEach
    void removeEverything() throws Exception {
        if (demo == null) {
            return;
        }
        String middleService = demo.app + "_middle";
        System.out.println("[mixed] tasks:\n" + dockerQuietly("service", "ps", "--no-trunc", demo.app + "-root_" + demo.app,
                middleService, middleStack + "_bottom", bottomStack + "_echo"));
        System.out.println("[mixed] top controller log:\n" + dockerQuietly("service", "logs", "--tail", "60",
                demo.app + "-root_" + demo.app));
        System.out.println("[mixed] middle (the double) log:\n" + dockerQuietly("service", "logs", "--tail", "40",
                middleService));
        System.out.println("[mixed] bottom controller log:\n" + dockerQuietly("service", "logs", "--tail", "60",
                middleStack + "_bottom"));
        demo.close();
        for (String namespace : List.of(bottomStack, middleStack, demo.app, demo.app + "-root")) {
            try (TestSwarm swarm = TestSwarm.of(namespace)) {
                swarm.removeAll();
            }
        }
    }

    /** Deploys the three levels; returns the top's status once the bottom's service runs. */
    private Status deployTree(Path temp) throws Exception {
        assertThat(dockerQuietly("image", "inspect", "-f", "{{.Id}}", DOUBLE_IMAGE))
                .as(DOUBLE_IMAGE + " is built (images/build-original-double.sh)").startsWith("sha256:");
        demo = DeployedDemo.deploy("it-mix", temp, "[mixed]", definitions -> {
            Files.writeString(definitions.resolve("stack.yml"), TOP);
            Files.writeString(definitions.resolve("middle.yml"), MIDDLE);
            Files.writeString(definitions.resolve("bottom.yml"), BOTTOM);
        }, DeployedDemo.CONTROLLER_IMAGE, List.of("--allow-docker-socket"));
        // The original names a child's stack after its service and slot: the middle's stack, and the bottom's in it.
        middleStack = demo.app + "_middle-1";
        bottomStack = middleStack + "_bottom-1";
        demo.requireDeployed();
        return await().atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofSeconds(2)).until(
                demo.client::status, top -> DeployedDemo.state(top, "middle", "bottom-1", "echo-1")
                        .equals(Optional.of(Status.State.RUNNING)));
    }

    @Test
    void anUpdateThatDropsTheOriginalChildEndsItsWholeTree(@TempDir Path temp) throws Exception {
        deployTree(temp);
        Path withoutMiddle = Files.writeString(temp.resolve("without-middle.yml"), """
                services:
                  idle:
                    image: ailtire/busybox:local
                    command: [sleep, "86400"]
                    stop_grace_period: 1s
                """);
        var update = demo.cli("update", "--app", demo.app, "-f", withoutMiddle.toString());
        assertThat(update.code()).as(update.output()).isZero();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            for (String namespace : List.of(middleStack, bottomStack)) {
                assertThat(TestSwarm.leftovers(demo.docker, namespace)).as("left of " + namespace).isEmpty();
            }
            assertThat(dockerQuietly("service", "ls", "-q", "--filter", "name=" + demo.app + "_middle")).isBlank();
            assertThat(dockerQuietly("network", "ls", "-q", "--filter", "name=" + demo.app + "_" + demo.app
                    + "_middle_family")).as("the family network").isBlank();
            assertThat(DeployedDemo.find(demo.client.status(), "middle")).as("unregistered").isEmpty();
        });
    }

    @Test
    void theTopShowsTheWholeTreeReadsTheBottomsLogAndShutsDownToNothing(@TempDir Path temp) throws Exception {
        Status tree = deployTree(temp);
        System.out.println("[mixed] the top's status: " + org.ailtire.stack.Json.MAPPER.writeValueAsString(tree));
        Status middle = DeployedDemo.find(tree, "middle").orElseThrow();
        assertThat(middle.type()).isEqualTo(Status.Type.STACK);
        assertThat(middle.state()).isEqualTo(Status.State.RUNNING);
        Status bottom = DeployedDemo.find(middle, "bottom-1").orElseThrow();
        assertThat(bottom.type()).as("the middle's registered child, ours").isEqualTo(Status.Type.STACK);
        assertThat(bottom.children()).extracting(Status::name).containsExactly("echo-1");

        List<String> lines = new ArrayList<>();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
            lines.clear();
            demo.client.logs(new LogSelection(Optional.of("middle/bottom-1/echo"), OptionalInt.of(100),
                    Optional.empty(), LogRequest.Streams.BOTH), (LogLine line) -> lines.add(line.text().strip()));
            assertThat(lines).as("the bottom's service log, read through the top and the middle").contains(KNOWN_LINE);
        });

        long shuttingDown = System.nanoTime();
        var shutdown = demo.cli("shutdown", "--app", demo.app, "--yes");
        assertThat(shutdown.code()).as(shutdown.output()).isZero();
        System.out.println("[mixed] shutdown at the top took "
                + Duration.ofNanos(System.nanoTime() - shuttingDown).toMillis() + " ms");
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            for (String namespace : List.of(demo.app + "-root", demo.app, middleStack, bottomStack)) {
                assertThat(TestSwarm.leftovers(demo.docker, namespace)).as("left of " + namespace).isEmpty();
                for (String kind : List.of("service", "network", "config", "secret")) {
                    assertThat(dockerQuietly(kind, "ls", "-q", "--filter", "label=com.docker.stack.namespace="
                            + namespace)).as(kind + "s of " + namespace).isBlank();
                }
            }
            assertThat(dockerQuietly("network", "ls", "-q", "--filter", "name=" + demo.app))
                    .as("the link and family networks").isBlank();
        });
    }

}
