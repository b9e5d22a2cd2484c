package org.ailtire.controller;

import com.fasterxml.jackson.databind.JsonNode;
import org.ailtire.stack.Json;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.ailtire.swarm.testsupport.DockerCli.docker;
import static org.ailtire.swarm.testsupport.DockerCli.dockerQuietly;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Our controller image as a swarm service started with only the original sidecar's variables (compatibility mode),
 * under a stand-in for an original parent: a busybox {@code nc} loop on a network the test creates, under the alias
 * {@code admin}, that answers every request {@code {"status":"ok"}} and logs its request line. The controller
 * registers the original's way, serves {@code /_admin/status} in the original's shape to a caller on that network,
 * and when its service is removed (the stop signal, as an original parent's {@code docker stack rm} sends) it
 * removes its stack: no service of its namespace is left.
 */
@Tag("integration")
class OriginalParentIT {
    private static final String DEFINITION = """
            services:
              web:
                image: ailtire/busybox:local
                command: ["sh", "-c", "echo web up; while true; do sleep 1; done"]
                stop_grace_period: 1s
            """;
    /** An original parent as far as registration goes: logs each request line, answers {"status":"ok"}. */
    private static final String PARENT = "while true; do printf 'HTTP/1.0 200 OK\\r\\nContent-Type: application/json\\r\\n"
            + "Content-Length: 15\\r\\nConnection: close\\r\\n\\r\\n{\"status\":\"ok\"}' | nc -l -p 3000 | head -n 1;"
            + " done";

    private final String run = "oit" + HexFormat.of().formatHex(new SecureRandom().generateSeed(3));
    private final String network = run + "_top";
    private final String parent = run + "_admin";
    private final String controller = run + "_backend";
    /** As an original parent names a child stack: {{.Service.Name}}-{{.Task.Slot}}. */
    private final String stack = controller + "-1";
    private final String definitionConfig = run + "_definition";

    @TempDir
    Path temp;
    private volatile String lastStatus = "(none)";

    @AfterEach
    void removeEverything() throws Exception {
        // What a failed run needs to be understood: the tasks and the last lines of both services.
        System.out.println("[original] tasks:\n" + dockerQuietly("service", "ps", "--no-trunc", controller, parent));
        System.out.println("[original] its stack's tasks:\n" + dockerQuietly("stack", "ps", "--no-trunc", stack));
        System.out.println("[original] last status answer: " + lastStatus);
        System.out.println("[original] controller log:\n" + dockerQuietly("service", "logs", "--tail", "60", controller));
        System.out.println("[original] parent log:\n" + dockerQuietly("service", "logs", "--tail", "20", parent));
        for (String service : List.of(controller, parent)) {
            dockerQuietly("service", "rm", service);
        }
        for (String left : leftOf(stack)) {
            String[] kindAndId = left.split(" ");
            dockerQuietly(kindAndId[0], "rm", kindAndId[1]);
        }
        dockerQuietly("config", "rm", definitionConfig);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                .until(() -> !dockerQuietly("network", "rm", network).contains("has active endpoints"));
    }

    @Test
    void registersServesTheOriginalsStatusAndRemovesItsStackOnTheStopSignal() throws Exception {
        docker("network", "create", "--driver", "overlay", "--attachable", "--label", "org.ailtire.test=" + run,
                network);
        docker("service", "create", "--detach", "--name", parent, "--endpoint-mode", "dnsrr", "--network", "name=" + network + ",alias=admin",
                "--restart-condition", "none", "ailtire/busybox:local", "sh", "-c", PARENT);
        Path definition = Files.writeString(temp.resolve("docker-compose.yml"), DEFINITION);
        docker("config", "create", definitionConfig, definition.toString());
        docker("service", "create", "--detach", "--name", controller, "--endpoint-mode", "dnsrr", "--network", network,
                "--constraint", "node.role==manager", "--restart-condition", "none", "--stop-grace-period", "60s",
                "--mount", "type=bind,source=/var/run/docker.sock,target=/var/run/docker.sock",
                "--config", "source=" + definitionConfig + ",target=/app/docker-compose.yml",
                "--env", "AILTIRE_COMPATIBILITY=original",
                "--env", "AILTIRE_APPNAME=" + run,
                "--env", "AILTIRE_STACKNAME=" + stack,
                "--env", "AILTIRE_PARENTHOST=admin",
                "--env", "AILTIRE_PARENTPORT=3000",
                "--env", "AILTIRE_STACKADMINPORT=3000",
                "--env", "AILTIRE_SERVICENAME=backend",
                "--env", "AILTIRE_PARENT_NETWORK=" + network,
                DeployedDemo.CONTROLLER_IMAGE, "serve");

        Pattern register = Pattern.compile("GET /_admin/register\\?name=" + Pattern.quote(stack)
                + "&url=([0-9a-f]{12}):3000&service=backend/test HTTP/1\\.1");
        String childHost = await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            Matcher m = register.matcher(dockerQuietly("service", "logs", "--raw", parent));
            return m.find() ? m.group(1) : null;
        }, host -> host != null);
        System.out.println("[original] registered: " + stack + " at " + childHost + ":3000");

        String parentContainer = docker("ps", "-q", "--filter", "label=com.docker.swarm.service.name=" + parent)
                .strip().split("\\s+")[0];
        JsonNode status = await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            String body = httpGet(parentContainer, childHost, "/_admin/status");
            lastStatus = body;
            try {
                return Json.MAPPER.readTree(body);
            } catch (Exception notYet) {
                return null;
            }
        }, document -> document != null && document.path("services").path(stack + "_web-1").path("status").asText()
                .equals("Running"));
        System.out.println("[original] /_admin/status from the parent's network: " + status);
        assertThat(status.get("service").asText()).isEqualTo(stack);
        JsonNode web = status.get("services").get(stack + "_web-1");
        assertThat(web.get("name").asText()).isEqualTo(stack + "_web.1");
        assertThat(web.get("shortName").asText()).isEqualTo("web");
        assertThat(web.get("image").asText()).startsWith("ailtire/busybox:local");
        assertThat(web.get("desired").asText()).isEqualTo("Running");
        assertThat(web.get("node").asText()).isNotBlank();
        assertThat(web.get("line").asText()).contains(stack + "_web.1");
        String log = httpGet(parentContainer, childHost, "/_admin/log?name=" + stack + "_web-1");
        assertThat(Json.MAPPER.readTree(log).path("stdout").toString()).as(log).contains("web up");
        assertThat(httpGet(parentContainer, childHost, "/api/v1/status")).as("our own API stays closed")
                .doesNotContain(stack);

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
                assertThat(dockerQuietly("service", "logs", "--raw", controller)).as("the start's update is logged")
                        .containsPattern("deploying the given definition \\(update [0-9a-f-]+\\): succeeded in"));

        long removing = System.nanoTime();
        docker("service", "rm", controller);
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1))
                .until(() -> leftOf(stack).isEmpty());
        System.out.println("[original] after the controller's service was removed, nothing of its stack was left in "
                + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - removing) + " ms");
    }

    /** The services, networks, configs and secrets of a stack's namespace that are still there, as "kind id". */
    private static List<String> leftOf(String namespace) throws Exception {
        List<String> left = new ArrayList<>();
        for (String kind : List.of("service", "network", "config", "secret")) {
            String ids = dockerQuietly(kind, "ls", "-q", "--filter", "label=com.docker.stack.namespace=" + namespace);
            for (String id : ids.strip().split("\\s+")) {
                if (!id.isBlank()) {
                    left.add(kind + " " + id);
                }
            }
        }
        return left;
    }

    /**
     * A GET from inside {@code container} to {@code host}:3000, the body only. Busybox's {@code nc}, to the address
     * its {@code nslookup} finds: the static busybox's {@code wget} crashed inside swarm tasks, and its resolver
     * (glibc without NSS) finds no name. The request's side stays open a while: a half-closed connection is closed
     * by the server before an answer that takes time (the log's) is written.
     */
    private static String httpGet(String container, String host, String path) throws Exception {
        String answer = dockerQuietly("exec", container, "sh", "-c", "ip=$(nslookup " + host
                + " | awk '/^Address: /{print $2}' | tail -n 1); (printf 'GET " + path
                + " HTTP/1.0\\r\\nHost: " + host + "\\r\\n\\r\\n'; sleep 3) | nc -w 5 \"$ip\" 3000");
        int body = answer.indexOf("\r\n\r\n");
        return body < 0 ? answer : answer.substring(body + 4);
    }

}
