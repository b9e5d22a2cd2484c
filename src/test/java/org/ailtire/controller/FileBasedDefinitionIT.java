package org.ailtire.controller;

import com.github.dockerjava.api.model.Service;
import com.github.dockerjava.api.model.Task;
import com.github.dockerjava.api.model.TaskState;
import org.ailtire.cli.Main;
import org.ailtire.swarm.Labels;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A tree whose definitions name local files (a config file, secret files at two levels, env files) and run a
 * replicated job, deployed, updated and rolled back through the CLI on the real engine: the services see the files'
 * content, and no byte of a secret (random per run) is in any config's data, any label or spec of a service, config,
 * secret or network, any controller's log, any answer of the API or any output of the CLI. A new secret file is a new
 * secret object and rolls the service that mounts it; a rollback brings the old content back.
 */
@Tag("integration")
class FileBasedDefinitionIT {
    private static final String TOP = """
            services:
              web:
                image: ailtire/busybox:local
                command: ["sh", "-c", "echo web up; while true; do sleep 1; done"]
                stop_grace_period: 1s
                env_file: web.env
                configs:
                  - {source: greeting, target: /etc/greeting.conf}
                secrets: [dbpass]
              check:
                image: ailtire/busybox:local
                command: ["sh", "-c", "test -s /run/secrets/dbpass && test \\"$$MODE\\" = checked && echo checked"]
                env_file: [web.env]
                deploy:
                  mode: replicated-job
                secrets: [dbpass]
              backend:
                x-ailtire: {stack: backend/stack.yml}
            configs:
              greeting: {file: conf/greeting.conf}
            secrets:
              dbpass: {file: ./secrets/dbpass.txt}
            """;
    private static final String CHILD = """
            services:
              api:
                image: ailtire/busybox:local
                command: ["sh", "-c", "echo api up; while true; do sleep 1; done"]
                stop_grace_period: 1s
                env_file: [api.env]
                secrets: [token]
            secrets:
              token: {file: token.txt}
            """;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<String> shown = new ArrayList<>();
    private DeployedDemo demo;

    @AfterEach
    void removeEverything() {
        if (demo != null) {
            demo.close();
        }
    }

    private static String randomSecret(String kind) {
        byte[] bytes = new byte[18];
        RANDOM.nextBytes(bytes);
        return kind + "-" + HexFormat.of().formatHex(bytes);
    }

    @Test
    void filesTravelWithTheDefinitionAndNoSecretByteShowsAnywhere(@TempDir Path temp) throws Exception {
        String first = randomSecret("top");
        String second = randomSecret("top2");
        String child = randomSecret("child");
        List<String> secrets = List.of(first, second, child);
        demo = DeployedDemo.deploy("it-files", temp, "[files]", definitions -> {
            for (String demoFile : List.of("backend.yml", "db.yml")) {
                Files.delete(definitions.resolve(demoFile));
            }
            Files.createDirectories(definitions.resolve("conf"));
            Files.createDirectories(definitions.resolve("secrets"));
            Files.createDirectories(definitions.resolve("backend"));
            Files.writeString(definitions.resolve("stack.yml"), TOP);
            Files.writeString(definitions.resolve("web.env"), "GREETING=hello from an env file\nMODE=checked\n");
            Files.writeString(definitions.resolve("conf/greeting.conf"), "greeting from a config file\n");
            Files.writeString(definitions.resolve("secrets/dbpass.txt"), first);
            Files.writeString(definitions.resolve("backend/stack.yml"), CHILD);
            Files.writeString(definitions.resolve("backend/api.env"), "LEVEL=backend\n");
            Files.writeString(definitions.resolve("backend/token.txt"), child);
        });
        shown.add(demo.deployment.output());
        if (demo.deployment.code() != Main.OK) {
            try {
                demo.cli("status", "--app", demo.app); // says which part is not healthy
                for (String namespace : demo.namespaces()) {
                    for (Service service : demo.docker.listServicesCmd().withLabelFilter(Map.of(Labels.NAMESPACE, namespace)).exec()) {
                        System.out.println("[files] logs of " + service.getSpec().getName() + ":\n"
                                + dockerCommand("docker", "service", "logs", "--tail", "30", service.getSpec().getName()));
                    }
                }
            } catch (RuntimeException e) {
                System.out.println("[files] no more to show: " + e); // the deploy's own failure is reported below
            }
        }
        demo.requireDeployed();
        String app = demo.app;
        Path stackFile = demo.definitions.resolve("stack.yml");

        // The services see the files' content; the job ran to completion with them.
        String web = app + "_web";
        assertThat(read(web, "/run/secrets/dbpass")).isEqualTo(first);
        assertThat(read(web, "/etc/greeting.conf")).isEqualTo("greeting from a config file\n");
        assertThat(demo.execOutput(demo.runningContainer(web), "sh", "-c", "echo \"$GREETING\"")).isEqualTo("hello from an env file\n");
        assertThat(read(app + "-backend_api", "/run/secrets/token")).isEqualTo(child);
        assertThat(demo.execOutput(demo.runningContainer(app + "-backend_api"), "sh", "-c", "echo \"$LEVEL\"")).isEqualTo("backend\n");
        assertThat(tasks(app + "_check")).as("the job completed").extracting(t -> t.getStatus().getState())
                .contains(TaskState.COMPLETE);
        String firstSecretName = secretOf(web);
        String webTask = runningTask(web);
        String backendController = demo.versions().get(app + "_backend");

        // A new secret file: the preview names it, the update makes a new secret object and rolls web.
        Files.writeString(demo.definitions.resolve("secrets/dbpass.txt"), second);
        DeployedDemo.Run preview = cli("update", "--app", app, "-f", stackFile.toString(), "--preview");
        assertThat(preview.code()).as(preview.output()).isEqualTo(Main.OK);
        assertThat(preview.output()).contains("#   changed: secrets/dbpass.txt");
        DeployedDemo.Run update = cli("update", "--app", app, "-f", stackFile.toString());
        assertThat(update.code()).as(update.output()).isEqualTo(Main.OK);
        assertThat(secretOf(web)).as("new content is a new secret object").isNotEqualTo(firstSecretName);
        await().atMost(Duration.ofSeconds(60)).until(() -> !runningTask(web).equals(webTask));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(read(web, "/run/secrets/dbpass")).isEqualTo(second));
        assertThat(demo.versions().get(app + "_backend")).as("the child's files did not change: its controller "
                + "was not rolled").isEqualTo(backendController);

        // A rollback applies exactly what ran: the first secret's content, under its first name.
        DeployedDemo.Run rollback = cli("rollback", "--app", app, "1");
        assertThat(rollback.code()).as(rollback.output()).isEqualTo(Main.OK);
        assertThat(secretOf(web)).isEqualTo(firstSecretName);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(read(web, "/run/secrets/dbpass")).isEqualTo(first));

        // Nothing shows a secret: the CLI, the API, the engine's objects, the logs.
        for (String command : List.of("status", "history", "events")) {
            cli(command, "--app", app);
        }
        cli("history", "--app", app, "1");
        cli("history", "--app", app, "1", "--diff");
        for (String path : List.of("/status", "/definition", "/history", "/history/1", "/history/2", "/history/3",
                "/history/2/diff", "/history/1/diff?against=2", "/events", "/routes")) {
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(demo.adminUrl.resolve("/api/v1" + path))
                    .header("Authorization", "Bearer " + demo.token).timeout(Duration.ofSeconds(10)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).as(path + ": " + answer.body()).isEqualTo(200);
            shown.add(path + " " + answer.body());
        }
        assertThat(String.join("\n", shown)).as("the definition's own text is shown")
                .contains("secrets/dbpass.txt");
        for (String type : List.of("service", "config", "secret", "network")) {
            List<String> inspect = new ArrayList<>(List.of("docker", type, "inspect"));
            inspect.addAll(List.of(dockerCommand("docker", type, "ls", "-q").strip().split("\\s+")));
            shown.add(dockerCommand(inspect.toArray(String[]::new)));
        }
        for (String namespace : demo.namespaces()) {
            for (Service service : demo.docker.listServicesCmd().withLabelFilter(Map.of(Labels.NAMESPACE, namespace)).exec()) {
                shown.add(dockerCommand("docker", "service", "logs", "--raw", service.getSpec().getName()));
            }
        }
        assertThat(String.join("\n", shown)).as("the top controller's logs are among them").contains("serving on port");
        for (String secret : secrets) {
            for (String encoded : encodings(secret)) {
                assertThat(String.join("\n", shown)).as("no trace of a secret").doesNotContain(encoded);
            }
        }

        // Everything goes with the application.
        assertThat(cli("shutdown", "--app", app, "--yes").code()).isEqualTo(Main.OK);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            for (String namespace : demo.namespaces()) {
                Map<String, String> label = Map.of(Labels.NAMESPACE, namespace);
                assertThat(demo.docker.listServicesCmd().withLabelFilter(label).exec()).as(namespace).isEmpty();
                assertThat(demo.docker.listSecretsCmd().withLabelFilter(label).exec()).as(namespace).isEmpty();
                assertThat(demo.docker.listNetworksCmd().withFilter("label", List.of(Labels.NAMESPACE + "=" + namespace))
                        .exec()).as(namespace).isEmpty();
                assertThat(org.ailtire.swarm.EngineConfigs.withLabels(demo.docker,
                        List.of(Labels.NAMESPACE + "=" + namespace))).as(namespace).isEmpty();
            }
        });
    }

    /** The secret as written and inside base64 text at each of the three alignments base64 can give it. */
    private static List<String> encodings(String secret) {
        List<String> encodings = new ArrayList<>(List.of(secret));
        for (int shift = 0; shift < 3; shift++) {
            String encoded = Base64.getEncoder().withoutPadding().encodeToString(
                    ("xx".substring(0, shift) + secret).getBytes(StandardCharsets.UTF_8));
            int stableFrom = shift == 0 ? 0 : 4;
            encodings.add(encoded.substring(stableFrom, encoded.length() - 4));
        }
        return encodings;
    }

    private DeployedDemo.Run cli(String... args) {
        DeployedDemo.Run run = demo.cli(args);
        shown.add(run.output());
        return run;
    }

    private String read(String service, String file) throws InterruptedException {
        return demo.execOutput(demo.runningContainer(service), "cat", file);
    }

    private List<Task> tasks(String service) {
        return demo.docker.listTasksCmd().withServiceFilter(service).exec().stream()
                .filter(t -> t.getServiceId() != null).toList();
    }

    private String runningTask(String service) {
        return tasks(service).stream().filter(t -> t.getStatus().getState() == TaskState.RUNNING
                        && t.getDesiredState() == TaskState.RUNNING).map(Task::getId).findFirst().orElse("");
    }

    /** The name of the secret the service mounts. */
    private String secretOf(String service) {
        return demo.docker.listServicesCmd().withNameFilter(List.of(service)).exec().stream()
                .filter(s -> s.getSpec().getName().equals(service)).findFirst().orElseThrow()
                .getSpec().getTaskTemplate().getContainerSpec().getSecrets().get(0).getSecretName();
    }

    /** What a docker CLI command printed, stdout and stderr (a test may use the CLI; the product never does). */
    private static String dockerCommand(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as(String.join(" ", command)).isTrue();
        return new String(output, StandardCharsets.UTF_8);
    }
}
