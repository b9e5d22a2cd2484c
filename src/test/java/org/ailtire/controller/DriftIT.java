package org.ailtire.controller;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Service;
import com.github.dockerjava.api.model.TaskState;
import org.ailtire.protocol.ControlPlaneClient;
import org.ailtire.stack.StackEvent;
import org.ailtire.stack.Status;
import org.ailtire.swarm.drift.ServiceFacts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Drift on the real engine: the demo's objects changed or removed behind the controllers' backs with the docker CLI
 * (service rm, scale, update --image --env-add, stack rm of the bottom stack's namespace, then of the top's). Each
 * time the status says DRIFTED naming the difference, the controller puts the stack back (same spec, tasks running,
 * routes answering through the gateways) and its events list has the repair. Then, deployed with
 * {@code --drift report}, a drift is only reported. Figures are printed with the prefix {@code [drift]}.
 */
@Tag("integration")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DriftIT {
    private static final Duration REPAIRED_WITHIN = Duration.ofSeconds(90);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private Path temp;
    private DeployedDemo demo;
    private String app;
    private DockerClient docker;
    private ControlPlaneClient client;

    @BeforeAll
    void deploy(@TempDir Path temp) throws Exception {
        this.temp = temp;
        demo = DeployedDemo.deploy("it-drift", temp.resolve("repair"), "[drift]");
        app = demo.app;
        docker = demo.docker;
        client = demo.client;
        demo.requireDeployed();
        await().atMost(Duration.ofSeconds(90)).ignoreExceptions().until(() -> DeployedDemo.whole(client.status()));
    }

    @AfterAll
    void removeEverything() {
        if (demo != null) {
            demo.close();
        }
    }

    @Test
    @Order(1)
    void aRemovedServiceIsCreatedAgain() throws Exception {
        ServiceFacts before = facts(app + "_web");
        long eventsBefore = lastEvent();

        Instant removedAt = Instant.now();
        docker(List.of("service", "rm", app + "_web"));

        String message = awaitDrifted(List.of(), "service web removed");
        System.out.println("[drift] service rm: DRIFTED after " + since(removedAt) + " ms: " + message);
        awaitBack(removedAt, "service rm");
        assertThat(facts(app + "_web")).isEqualTo(before);
        assertThat(get("/")).contains("shop front");
        assertRepairListed(eventsBefore, "service web removed");
    }

    @Test
    @Order(2)
    void aScaledServiceIsScaledBack() throws Exception {
        ServiceFacts before = facts(app + "_web");
        long eventsBefore = lastEvent();

        Instant scaledAt = Instant.now();
        docker(List.of("service", "scale", "--detach", app + "_web=3"));

        String message = awaitDrifted(List.of(), "service web scaled to 3 (definition: 1)");
        System.out.println("[drift] service scale: DRIFTED after " + since(scaledAt) + " ms: " + message);
        awaitBack(scaledAt, "service scale");
        assertThat(facts(app + "_web")).isEqualTo(before);
        await().atMost(Duration.ofSeconds(30)).until(() -> runningTasks(app + "_web") == 1);
        assertRepairListed(eventsBefore, "service web scaled to 3 (definition: 1)");
    }

    @Test
    @Order(3)
    void anotherImageAndEnvironmentArePutBack() throws Exception {
        ServiceFacts before = facts(app + "_web");
        long eventsBefore = lastEvent();

        Instant changedAt = Instant.now();
        // An image without httpd: the changed service does not even run, until the controller puts it back.
        docker(List.of("service", "update", "--detach", "--image", "ailtire/base:local", "--env-add", "DRIFTED=yes",
                app + "_web"));

        String message = awaitDrifted(List.of(), "service web image changed to ailtire/base:local");
        assertThat(message).contains("service web environment changed: DRIFTED added");
        System.out.println("[drift] service update --image --env-add: DRIFTED after " + since(changedAt) + " ms: "
                + message);
        awaitBack(changedAt, "service update");
        assertThat(facts(app + "_web")).isEqualTo(before);
        assertThat(get("/")).contains("shop front");
        assertRepairListed(eventsBefore, "service web image changed to ailtire/base:local");
    }

    @Test
    @Order(4)
    void aRemovedBottomStackIsDeployedAgain() throws Exception {
        String bottom = app + "-backend-db";
        ServiceFacts before = facts(bottom + "_store");
        assertThat(get("/backend/db/")).containsPattern("store: \\d+ orders");

        Instant removedAt = Instant.now();
        DeployedDemo.Run removed = docker(List.of("stack", "rm", bottom));
        // What `docker stack rm` takes: every object carrying the namespace label, the history's configs too.
        assertThat(removed.output()).contains("Removing service " + bottom + "_store");

        String message = awaitDrifted(List.of("backend", "db"), "service store removed");
        System.out.println("[drift] stack rm " + bottom + ": db DRIFTED after " + since(removedAt) + " ms: " + message);
        awaitBack(removedAt, "stack rm of the bottom namespace");
        // stack rm took the database's secret too: the repair made it again under the same name, with a new id.
        assertThat(withoutObjectIds(facts(bottom + "_store"))).isEqualTo(withoutObjectIds(before));
        assertThat(get("/backend/db/")).containsPattern("store: \\d+ orders");
        // The db controller's events list is on its own control plane (not reachable from here); it logs each entry.
        String log = controllerLog(app + "-backend_db");
        assertThat(log).contains("service store removed").contains("drift repair succeeded");
    }

    @Test
    @Order(5)
    void aRemovedTopStackIsDeployedAgain() throws Exception {
        ServiceFacts web = facts(app + "_web");
        long eventsBefore = lastEvent();

        Instant removedAt = Instant.now();
        // The networks the top made for backend are still used by backend's and db's services: the engine keeps them
        // and the CLI says it failed to remove them.
        DeployedDemo.Run removed = docker(List.of("stack", "rm", app), false);
        assertThat(removed.output()).contains("Removing service " + app + "_web")
                .contains("Removing service " + app + "_backend");

        String message = awaitDrifted(List.of(), "stack backend removed");
        assertThat(message).contains("service web removed");
        System.out.println("[drift] stack rm " + app + ": DRIFTED after " + since(removedAt) + " ms: " + message);
        awaitBack(removedAt, "stack rm of the top namespace");
        assertThat(facts(app + "_web")).isEqualTo(web);
        assertThat(get("/")).contains("shop front");
        assertThat(get("/backend/db/")).containsPattern("store: \\d+ orders");
        assertRepairListed(eventsBefore, "stack backend removed");
        DeployedDemo.assertNothingDuplicated(client.status());
    }

    @Test
    @Order(6)
    void reportOnlyChangesNothing() throws Exception {
        try (DeployedDemo reporting = DeployedDemo.deploy("it-drift", temp.resolve("report"), "[drift]", d -> { },
                DeployedDemo.CONTROLLER_IMAGE, List.of("--drift", "report"))) {
            reporting.requireDeployed();
            ControlPlaneClient top = reporting.client;
            await().atMost(Duration.ofSeconds(90)).ignoreExceptions().until(() -> DeployedDemo.whole(top.status()));
            String web = reporting.app + "_web";
            assertThat(reporting.docker.inspectServiceCmd(reporting.app + "-root_" + reporting.app).exec().getSpec()
                    .getTaskTemplate().getContainerSpec().getEnv()).contains("AILTIRE_DRIFT=report");

            docker(List.of("service", "scale", "--detach", web + "=2"));

            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
                Status status = top.status();
                return status.state() == Status.State.DRIFTED
                        && status.message().equals("drifted: service web scaled to 2 (definition: 1)");
            });
            // It stays so: nothing is put back.
            await().during(Duration.ofSeconds(10)).atMost(Duration.ofSeconds(15)).ignoreExceptions()
                    .until(() -> top.status().state() == Status.State.DRIFTED);
            // What a user sees (printed for the README).
            assertThat(reporting.cli("status", "--app", reporting.app).output()).contains("DRIFTED")
                    .contains("drifted: service web scaled to 2 (definition: 1)");
            assertThat(reporting.cli("events", "--app", reporting.app).output()).contains("drift");
            Service scaled = reporting.docker.inspectServiceCmd(web).exec();
            assertThat(scaled.getSpec().getMode().getReplicated().getReplicas()).isEqualTo(2L);
            List<StackEvent> events = top.events();
            assertThat(events).anyMatch(e -> e.action().equals("drift") && e.result().equals("seen")
                    && e.detail().equals("service web scaled to 2 (definition: 1)"));
            assertThat(events).noneMatch(e -> e.action().equals("repair"));
        }
    }

    /** Waits until the stack at {@code path} (the top: empty) is DRIFTED with a message holding {@code expected}. */
    private String awaitDrifted(List<String> path, String expected) {
        return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                .until(() -> stackAt(client.status(), path)
                        .filter(s -> s.state() == Status.State.DRIFTED && s.message().contains(expected))
                        .map(Status::message).orElse(null), m -> m != null);
    }

    /** The tree whole again, every stack RUNNING and no longer drifted. */
    private void awaitBack(Instant since, String what) {
        await().atMost(REPAIRED_WITHIN).pollInterval(Duration.ofMillis(200)).ignoreExceptions().until(() -> {
            Status top = client.status();
            return DeployedDemo.whole(top) && notDrifted(top);
        });
        System.out.println("[drift] " + what + ": back to the definition after " + since(since) + " ms");
    }

    private static boolean notDrifted(Status stack) {
        return stack.state() != Status.State.DRIFTED
                && stack.children().stream().filter(c -> c.type() == Status.Type.STACK).allMatch(DriftIT::notDrifted);
    }

    private static Optional<Status> stackAt(Status top, List<String> path) {
        Optional<Status> at = Optional.of(top);
        for (String name : path) {
            at = at.flatMap(s -> DeployedDemo.find(s, name));
        }
        return at;
    }

    private long lastEvent() throws IOException, InterruptedException {
        List<StackEvent> events = client.events();
        return events.isEmpty() ? 0 : events.get(events.size() - 1).sequence();
    }

    /** The top's events list, after {@code afterSequence}: the drift seen, then the repair started and succeeded. */
    private void assertRepairListed(long afterSequence, String difference) throws Exception {
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> client.events().stream()
                .anyMatch(e -> e.sequence() > afterSequence && e.action().equals("repair")
                        && e.result().equals("succeeded")));
        List<String> listed = new ArrayList<>();
        client.events().stream().filter(e -> e.sequence() > afterSequence)
                .forEach(e -> listed.add(e.action() + " " + e.result() + " " + e.detail()));
        System.out.println("[drift] events: " + listed);
        assertThat(listed).anyMatch(e -> e.startsWith("drift seen ") && e.contains(difference));
        assertThat(listed).anyMatch(e -> e.startsWith("repair started ") && e.contains(difference));
        assertThat(listed).anyMatch(e -> e.startsWith("repair succeeded "));
        assertThat(listed).noneMatch(e -> e.startsWith("repair failed"));
    }

    /** The facts with the engine ids of the secrets and configs the service mounts left out (names stay). */
    private static ServiceFacts withoutObjectIds(ServiceFacts facts) {
        var rest = (com.fasterxml.jackson.databind.node.ObjectNode) facts.rest().deepCopy();
        var container = rest.path("TaskTemplate").path("ContainerSpec");
        for (String kind : List.of("Secrets", "Configs")) {
            container.path(kind).forEach(reference -> ((com.fasterxml.jackson.databind.node.ObjectNode) reference)
                    .remove(List.of("SecretID", "ConfigID")));
        }
        return new ServiceFacts(facts.name(), facts.key(), facts.replicas(), facts.image(), facts.env(), rest);
    }

    private ServiceFacts facts(String service) {
        return ServiceFacts.of(docker.inspectServiceCmd(service).exec());
    }

    private long runningTasks(String service) {
        return docker.listTasksCmd().withServiceFilter(service).exec().stream()
                .filter(t -> t.getDesiredState() == TaskState.RUNNING && t.getStatus() != null
                        && t.getStatus().getState() == TaskState.RUNNING).count();
    }

    /** A request through the top's gateway (on loopback: the top controller's published port). */
    private String get(String path) {
        return await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> http.send(
                HttpRequest.newBuilder(demo.url.resolve(path)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString()), r -> r.statusCode() == 200).body();
    }

    private String controllerLog(String service) throws Exception {
        Service controller = docker.inspectServiceCmd(service).exec();
        Process logs = new ProcessBuilder("docker", "service", "logs", "--raw", controller.getId())
                .redirectErrorStream(true).start();
        String text = new String(logs.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        logs.waitFor(30, TimeUnit.SECONDS);
        return text;
    }

    /** Runs the docker CLI as a user behind the controller's back would. */
    private static DeployedDemo.Run docker(List<String> args) throws Exception {
        return docker(args, true);
    }

    private static DeployedDemo.Run docker(List<String> args, boolean mustSucceed) throws Exception {
        List<String> command = new ArrayList<>(List.of("docker"));
        command.addAll(args);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        System.out.println("[drift] " + String.join(" ", command) + " -> " + process.exitValue() + "\n" + output);
        if (mustSucceed) {
            assertThat(process.exitValue()).as(output).isZero();
        }
        return new DeployedDemo.Run(process.exitValue(), output);
    }

    private static long since(Instant at) {
        return Duration.between(at, Instant.now()).toMillis();
    }
}
