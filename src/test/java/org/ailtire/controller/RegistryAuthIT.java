package org.ailtire.controller;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.AuthConfig;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.api.model.Service;
import org.ailtire.stack.Json;
import org.ailtire.swarm.DockerClients;
import org.ailtire.swarm.EngineConfigs;
import org.ailtire.swarm.Labels;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A real controller deploying from a real registry with basic auth ({@code ailtire/registry:local} on
 * 127.0.0.1:random): the right credentials deploy and pin the image to its digest; a wrong password fails the update
 * before anything changes, naming the image; the password shows in no spec, config, secret, log line or API answer.
 */
@Tag("integration")
class RegistryAuthIT {
    private static final String USER = "alice";
    private static final String PASSWORD = "pw-" + UUID.randomUUID();
    private static final String DEFINITION = """
            services:
              web:
                image: %s
                command: ["sh", "-c", "echo up $$LEVEL; while true; do sleep 1; done"]
                stop_grace_period: 1s
                environment:
                  LEVEL: "%s"
            """;
    private final DockerClient docker = DockerClients.connect();
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private String registryContainer;
    private String image;
    private InProcessController controller;

    @BeforeEach
    void startRegistry() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        registryContainer = docker.createContainerCmd("ailtire/registry:local")
                .withName("it-registry-" + UUID.randomUUID().toString().substring(0, 6))
                .withEnv("REGISTRY_USER=" + USER, "REGISTRY_PASSWORD=" + PASSWORD)
                .withExposedPorts(ExposedPort.tcp(5000))
                .withHostConfig(HostConfig.newHostConfig().withPortBindings(
                        new PortBinding(Ports.Binding.bindIp("127.0.0.1").bindPort(port), ExposedPort.tcp(5000))))
                .exec().getId();
        docker.startContainerCmd(registryContainer).exec();
        String registry = "127.0.0.1:" + port;
        try (HttpClient http = HttpClient.newHttpClient()) {
            await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> http.send(
                    HttpRequest.newBuilder(URI.create("http://" + registry + "/v2/")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 401);
        }
        image = registry + "/ailtire/busybox:it";
        docker.tagImageCmd("ailtire/busybox:local", registry + "/ailtire/busybox", "it").exec();
        docker.pushImageCmd(image).withAuthConfig(new AuthConfig().withUsername(USER).withPassword(PASSWORD)
                .withRegistryAddress(registry)).start().awaitCompletion(60, TimeUnit.SECONDS);
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        logs.start();
        root.addAppender(logs);
    }

    @AfterEach
    void stop() throws Exception {
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
        try {
            if (controller != null) {
                controller.close();
            }
        } finally {
            try {
                if (registryContainer != null) {
                    docker.removeContainerCmd(registryContainer).withForce(true).withRemoveVolumes(true).exec();
                }
                if (image != null) {
                    docker.removeImageCmd(image).withNoPrune(true).exec();
                }
            } finally {
                docker.close();
            }
        }
    }

    private Map<String, Object> update(String level, String password) {
        return Map.of("definition", DEFINITION.formatted(image, level),
                "registryAuth", Map.of(image.substring(0, image.indexOf('/')), Map.of("username", USER, "password", password)));
    }

    private HttpResponse<String> get(String path) throws Exception {
        return controller.send(controller.authorized(path).GET().build());
    }

    private JsonNode updateAndWait(Map<String, Object> body) throws Exception {
        var started = controller.send(controller.authorized("/api/v1/update").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.MAPPER.writeValueAsString(body))).build());
        assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
        String id = Json.MAPPER.readTree(started.body()).get("id").asText();
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(300)).until(() ->
                !Json.MAPPER.readTree(get("/api/v1/updates/" + id).body()).get("state").asText().equals("RUNNING"));
        return Json.MAPPER.readTree(get("/api/v1/updates/" + id).body());
    }

    private Service web() {
        String name = controller.namespace() + "_web";
        return docker.listServicesCmd().withNameFilter(List.of(name)).exec().stream()
                .filter(s -> s.getSpec().getName().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void deploysWithTheCredentialsPinnedAndAWrongPasswordFailsCleanlyWithoutShowingIt(@TempDir Path temp)
            throws Exception {
        controller = new InProcessController(temp);

        JsonNode first = updateAndWait(update("1", PASSWORD));
        assertThat(first.get("state").asText()).as(first.toString()).isEqualTo("SUCCEEDED");
        Service deployed = web();
        String pinned = deployed.getSpec().getTaskTemplate().getContainerSpec().getImage();
        assertThat(pinned).startsWith(image + "@sha256:");

        JsonNode wrong = updateAndWait(update("2", "not-the-password"));
        assertThat(wrong.get("state").asText()).isEqualTo("FAILED");
        assertThat(wrong.get("error").asText()).contains(image).contains("refused the credentials")
                .contains("nothing was applied");
        Service after = web();
        assertThat(after.getVersion().getIndex()).as("nothing half applied").isEqualTo(deployed.getVersion().getIndex());
        assertThat(after.getSpec().getTaskTemplate().getContainerSpec().getEnv()).contains("LEVEL=1");

        StringBuilder everything = new StringBuilder();
        for (Service s : docker.listServicesCmd().exec()) {
            everything.append(Json.MAPPER.writeValueAsString(s.getSpec()));
        }
        for (var config : EngineConfigs.withLabels(docker, List.of(Labels.NAMESPACE + "=" + controller.namespace()))) {
            everything.append(config.labels()).append(new String(config.data()));
        }
        docker.listSecretsCmd().exec().forEach(s -> everything.append(s.getSpec().getName()).append(s.getSpec().getLabels()));
        for (String path : List.of("/api/v1/status", "/api/v1/history", "/api/v1/history/1", "/api/v1/history/2",
                "/api/v1/events", "/_admin/status")) {
            everything.append(get(path).body());
        }
        logs.list.forEach(e -> everything.append(e.getFormattedMessage()).append(e.getThrowableProxy() == null ? ""
                : e.getThrowableProxy().getMessage()));
        assertThat(everything.toString()).contains(pinned).doesNotContain(PASSWORD).doesNotContain("not-the-password");
    }
}
