package org.ailtire.controller;

import com.fasterxml.jackson.databind.JsonNode;
import org.ailtire.stack.Json;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.ailtire.swarm.testsupport.DockerCli.docker;
import static org.ailtire.swarm.testsupport.DockerCli.dockerQuietly;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A two-level tree with the original ailtire sidecar on top: its protocol double (images/original-double, written
 * from the facts page of the original's protocol) as the top, laid out as {@code ailtire app install} does (a service
 * on the overlay {@code <app>_top} under the alias {@code admin}, the socket mounted, its definition in /app), and
 * our controller in compatibility mode as the child stack the double deploys from that definition. The double shows
 * our stack as a {@code type: "stack"} entry with our tasks inside and reads our bottom service's log; its
 * {@code /_admin/shutdown} removes its stack, whose stop signal (SIGINT) makes our controller remove its own stack;
 * then nothing of either namespace is left.
 */
@Tag("integration")
class OriginalTopIT {
    private static final String DOUBLE_IMAGE = "ailtire/original-double:local";
    private static final String KNOWN_LINE = "web up under the double of the original";
    /** Our controller's definition: one service that logs a known line. */
    private static final String CHILD_DEFINITION = """
            services:
              web:
                image: ailtire/busybox:local
                command: ["sh", "-c", "echo %s; while true; do sleep 1; done"]
                stop_grace_period: 1s
            """.formatted(KNOWN_LINE);
    /** The double's definition: our controller as its child stack {@code backend}. */
    private static final String TOP_DEFINITION = OriginalChildDefinition.withOurController("backend",
            DeployedDemo.CONTROLLER_IMAGE);
    /** GET of a URL from inside the double's container (its own loopback), printing the body; exit 1 on an error. */
    private static final String FETCH = "require('http').get(process.argv[1], r => { let b = ''; r.setEncoding('utf8');"
            + " r.on('data', d => b += d); r.on('end', () => process.stdout.write(b)); })"
            + ".on('error', e => { console.error(e.message); process.exit(1); })";

    private final String run = "otit" + HexFormat.of().formatHex(new SecureRandom().generateSeed(3));
    private final String network = run + "_top";
    /** The double's service; the stack it deploys is named as the app, the original's top stack. */
    private final String top = run + "_sidecar";
    private final String topStack = run;
    /** Our controller's service in the double's stack, and our stack, named as the original names a child. */
    private final String controller = topStack + "_backend";
    private final String childStack = controller + "-1";
    private final String topDefinitionConfig = run + "_top_definition";
    private final String childDefinitionConfig = run + "_child_definition";

    @TempDir
    Path temp;

    @AfterEach
    void removeEverything() throws Exception {
        // What a failed run needs to be understood: the tasks and the last lines of each service.
        System.out.println("[original-top] tasks:\n" + dockerQuietly("service", "ps", "--no-trunc", top, controller,
                childStack + "_web"));
        System.out.println("[original-top] double log:\n" + dockerQuietly("service", "logs", "--tail", "40", top));
        System.out.println("[original-top] controller log:\n" + dockerQuietly("service", "logs", "--tail", "60", controller));
        dockerQuietly("service", "rm", top);
        for (String namespace : List.of(topStack, childStack)) {
            removeNamespace("service", namespace);
        }
        try {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).until(() ->
                    dockerQuietly("ps", "-aq", "--filter", "label=com.docker.stack.namespace=" + childStack).isBlank()
                            && dockerQuietly("ps", "-aq", "--filter", "label=com.docker.stack.namespace=" + topStack).isBlank());
        } catch (ConditionTimeoutException stillStopping) {
            System.out.println("[original-top] containers still stopping; removing the rest anyway");
        }
        for (String namespace : List.of(topStack, childStack)) {
            for (String kind : List.of("network", "config", "secret")) {
                removeNamespace(kind, namespace);
            }
        }
        dockerQuietly("config", "rm", topDefinitionConfig, childDefinitionConfig);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                .until(() -> !dockerQuietly("network", "rm", network).contains("has active endpoints"));
    }

    @Test
    void theDoubleShowsOurStackReadsItsLogAndItsShutdownLeavesNothing() throws Exception {
        assertThat(dockerQuietly("image", "inspect", "-f", "{{.Id}}", DOUBLE_IMAGE))
                .as(DOUBLE_IMAGE + " is built (images/build-original-double.sh)").startsWith("sha256:");
        docker("network", "create", "--driver", "overlay", "--attachable", "--label", "org.ailtire.test=" + run, network);
        docker("config", "create", "--label", "org.ailtire.test=" + run, topDefinitionConfig,
                Files.writeString(temp.resolve("docker-compose.yml"), TOP_DEFINITION).toString());
        docker("config", "create", "--label", "org.ailtire.test=" + run, childDefinitionConfig,
                Files.writeString(temp.resolve("backend.yml"), CHILD_DEFINITION).toString());
        docker("service", "create", "--detach", "--name", top, "--label", "org.ailtire.test=" + run,
                "--endpoint-mode", "dnsrr", "--network", "name=" + network + ",alias=admin",
                "--constraint", "node.role==manager", "--restart-condition", "none",
                "--mount", "type=bind,source=/var/run/docker.sock,target=/var/run/docker.sock",
                "--config", "source=" + topDefinitionConfig + ",target=/app/docker-compose.yml",
                "--config", "source=" + childDefinitionConfig + ",target=/app/backend.yml",
                "--env", "AILTIRE_STACKNAME=" + topStack,
                "--env", "AILTIRE_APPNAME=" + run,
                "--env", "AILTIRE_PARENT_NETWORK=" + network,
                DOUBLE_IMAGE);
        String doubleContainer = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).until(() ->
                dockerQuietly("ps", "-q", "--filter", "label=com.docker.swarm.service.name=" + top).strip(), id -> !id.isBlank());

        String ourWeb = childStack + "_web-1";
        JsonNode status = await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(2)).until(() -> {
            try {
                return Json.MAPPER.readTree(dockerQuietly("exec", doubleContainer, "node", "-e", FETCH,
                        "http://127.0.0.1:3000/_admin/status"));
            } catch (Exception notYet) {
                return null;
            }
        }, document -> document != null && document.path("services").path(childStack).path("services")
                .path("services").path(ourWeb).path("status").asText().equals("Running"));
        System.out.println("[original-top] the double's /_admin/status: " + status);
        assertThat(status.get("service").asText()).isEqualTo(topStack);
        JsonNode child = status.get("services").get(childStack);
        assertThat(child.get("type").asText()).isEqualTo("stack");
        assertThat(child.get("name").asText()).isEqualTo(childStack);
        assertThat(child.get("status").asText()).as("the child's entry is merged into its controller's task row")
                .isEqualTo("Running");
        assertThat(child.get("shortName").asText()).isEqualTo("backend");
        assertThat(child.get("services").get("service").asText()).isEqualTo(childStack);
        JsonNode web = child.get("services").get("services").get(ourWeb);
        assertThat(web.get("name").asText()).isEqualTo(childStack + "_web.1");
        assertThat(web.get("shortName").asText()).isEqualTo("web");
        assertThat(web.get("image").asText()).startsWith("ailtire/busybox:local");
        assertThat(web.get("desired").asText()).isEqualTo("Running");

        JsonNode log = Json.MAPPER.readTree(fromDouble(doubleContainer, "/_admin/log?name=" + ourWeb));
        List<String> stdout = new ArrayList<>();
        log.get("stdout").forEach(line -> stdout.add(line.asText().strip()));
        assertThat(stdout).as("our bottom service's log through the double, without the CLI's prefix").contains(KNOWN_LINE);

        long shuttingDown = System.nanoTime();
        assertThat(fromDouble(doubleContainer, "/_admin/shutdown")).contains("Removing service " + controller);
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).until(() ->
                dockerQuietly("service", "ls", "-q", "--filter", "label=com.docker.stack.namespace=" + topStack).isBlank()
                        && dockerQuietly("service", "ls", "-q", "--filter", "label=com.docker.stack.namespace=" + childStack)
                        .isBlank());
        System.out.println("[original-top] after the double's shutdown, both stacks' services were gone in "
                + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - shuttingDown) + " ms");
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
                assertThat(docker("service", "ps", "--format", "{{.CurrentState}}", top)).as("the double exits on its shutdown")
                        .startsWith("Complete"));

        docker("service", "rm", top);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).until(() ->
                dockerQuietly("ps", "-aq", "--filter", "label=com.docker.swarm.service.name=" + top).isBlank());
        docker("config", "rm", topDefinitionConfig, childDefinitionConfig);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                .until(() -> !dockerQuietly("network", "rm", network).contains("has active endpoints"));
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            for (String namespace : List.of(topStack, childStack)) {
                String label = "label=com.docker.stack.namespace=" + namespace;
                for (String kind : List.of("service", "network", "config", "secret")) {
                    assertThat(dockerQuietly(kind, "ls", "-q", "--filter", label)).as(kind + "s of " + namespace).isBlank();
                }
                assertThat(dockerQuietly("ps", "-aq", "--filter", label)).as("containers of " + namespace).isBlank();
            }
            String ours = "label=org.ailtire.test=" + run;
            for (String kind : List.of("service", "network", "config")) {
                assertThat(dockerQuietly(kind, "ls", "-q", "--filter", ours)).as(kind + "s labelled for " + run).isBlank();
            }
        });
    }

    private static String fromDouble(String container, String path) throws Exception {
        return docker("exec", container, "node", "-e", FETCH, "http://127.0.0.1:3000" + path);
    }

    private static void removeNamespace(String kind, String namespace) throws Exception {
        String ids = dockerQuietly(kind, "ls", "-q", "--filter", "label=com.docker.stack.namespace=" + namespace);
        for (String id : ids.strip().split("\\s+")) {
            if (!id.isBlank()) {
                dockerQuietly(kind, "rm", id);
            }
        }
    }

}
