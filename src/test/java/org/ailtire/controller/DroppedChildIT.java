package org.ailtire.controller;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import org.ailtire.protocol.ControlPlaneClient;
import org.ailtire.stack.StackToken;
import org.ailtire.stack.Status;
import org.ailtire.swarm.Labels;
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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A child stack that an update drops, on the real engine, in the 3-level demo (shop, then backend, then db): the
 * top is updated with a backend definition that no longer has db. The db stack is shut down and nothing of it is
 * left (its services, tasks, containers, networks, configs, secrets and history; its controller service and what
 * backend made for it), backend's status no longer lists it and /backend/db/ answers 404 through the top. A rollback
 * brings it back with its routes. An update sent to backend itself that drops db and fails (a new service whose
 * image does not exist) is rolled back: db was never touched and its routes are served again.
 *
 * <p>The failing update goes to backend's own API (from inside the top controller, the only one on backend's parent
 * network), not through the top: a top update that changes backend's definition restarts backend's controller with
 * the networks of the new definition, and a failure of backend's own update does not roll that back.
 */
@Tag("integration")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DroppedChildIT {
    private static final String DB_SERVICE = "  db:\n    x-ailtire:\n      stack: db.yml\n";
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private DeployedDemo demo;
    private String app;
    private ControlPlaneClient client;
    private DockerClient docker;
    private String backendWithDb;

    @BeforeAll
    void deploy(@TempDir Path temp) throws Exception {
        // Report only: the unreachable-child scenario scales backend's controller to 0 behind the top's back, which a
        // repairing top would put back before the update could drop it.
        demo = DeployedDemo.deploy("it-drop", temp, "[drop]", definitions -> {
        }, DeployedDemo.CONTROLLER_IMAGE, List.of("--drift", "report"));
        app = demo.app;
        client = demo.client;
        docker = demo.docker;
        demo.requireDeployed();
        backendWithDb = Files.readString(demo.definitions.resolve("backend.yml"));
        assertThat(backendWithDb).contains(DB_SERVICE);
        await().atMost(Duration.ofSeconds(90)).ignoreExceptions().until(() -> DeployedDemo.whole(client.status()));
        assertThat(dbLeftovers()).as("the db stack runs").isNotEmpty();
    }

    @AfterAll
    void removeEverything() {
        http.close();
        if (demo != null) {
            demo.close();
        }
    }

    @Test
    @Order(1)
    void anUpdateThatDropsAChildShutsItDownAndLeavesNothingOfIt() throws Exception {
        assertThat(get("/backend/db/").statusCode()).isEqualTo(200);
        Instant started = Instant.now();
        updateTop(backendWithDb.replace(DB_SERVICE, ""));

        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .untilAsserted(() -> {
                    assertThat(dbLeftovers()).isEmpty();
                    assertThat(backendStatus().children()).extracting(Status::name).containsExactly("api");
                });
        System.out.println("[drop] db dropped, until nothing of it was left and backend no longer listed it: "
                + Duration.between(started, Instant.now()).toMillis() + " ms");
        assertThat(get("/backend/db/").statusCode()).as("the dropped child's prefix").isEqualTo(404);
        assertThat(get("/backend/orders/").statusCode()).as("the rest of backend").isEqualTo(200);
        // The update that dropped db ends after db is gone: backend reports UPDATING until then.
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .untilAsserted(() -> assertThat(backendStatus().state()).isEqualTo(Status.State.RUNNING));
        String log = backendControllerLog();
        assertThat(log).as("backend's controller log").contains("shutting down child stack db",
                "shutdown child stack db: shut down", "db: 0 objects left");
    }

    @Test
    @Order(2)
    void aRollbackBringsTheDroppedChildAndItsRoutesBack() throws Exception {
        DeployedDemo.Run rollback = demo.cli("rollback", "--app", app, "1");
        assertThat(rollback.code()).as(rollback.output()).isZero();

        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .untilAsserted(() -> {
                    assertThat(DeployedDemo.whole(client.status())).isTrue();
                    assertThat(get("/backend/db/").body()).containsPattern("store: \\d+ orders");
                });
        DeployedDemo.assertNothingDuplicated(client.status());
    }

    @Test
    @Order(3)
    void aFailedUpdateThatDropsAChildIsRolledBackWithTheChildAndItsRoutes() throws Exception {
        Map<String, String> storeTasks = demo.tasks(app + "-backend-db");
        String failing = backendWithDb.replace(DB_SERVICE, """
                  broken:
                    image: ailtire/no-such-image:local
                    command: ["sh", "-c", "sleep 3600"]
                """);
        String answer = updateBackendDirectly(failing);
        assertThat(answer).as("backend's answer").startsWith("HTTP/1.1 202");

        await().atMost(Duration.ofSeconds(240)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .untilAsserted(() -> assertThat(backendStatus().message()).startsWith("last update failed: ")
                        .contains("rolled back"));
        System.out.println("[drop] backend after the failed update: " + backendStatus().message());
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() ->
                assertThat(get("/backend/db/").body()).as("the child's routes").containsPattern("store: \\d+ orders"));
        assertThat(DeployedDemo.whole(client.status())).isTrue();
        assertThat(demo.tasks(app + "-backend-db")).as("the db stack was never touched").isEqualTo(storeTasks);
        assertThat(docker.listServicesCmd().withNameFilter(List.of(app + "-backend_broken")).exec())
                .as("the failed update's new service").isEmpty();
    }

    /**
     * backend (with db below it) dropped from the top while backend's controller is scaled to 0: nobody can be asked,
     * so everything at or below /APP/backend goes by its labels, the grandchild db's controller and store included.
     * Only the root's link network to backend stays until the shutdown (see docs/topology.md).
     */
    @Test
    @Order(4)
    void anUnreachableDroppedChildIsRemovedByItsLabelsWithItsOwnChildren() throws Exception {
        Path top = demo.definitions.resolve("stack.yml");
        String withBackend = Files.readString(top);
        String backendService = withBackend.substring(withBackend.indexOf("  backend:\n"));
        assertThat(leftovers("backend", "")).as("backend runs").isNotEmpty();
        scaleToZero(app + "_backend");
        await().atMost(Duration.ofSeconds(60)).until(() -> docker.listContainersCmd()
                .withLabelFilter(Map.of("com.docker.swarm.service.name", app + "_backend")).exec().isEmpty());

        Files.writeString(top, withBackend.replace(backendService, ""));
        Instant started = Instant.now();
        DeployedDemo.Run update = demo.cli("update", "--app", app, "-f", top.toString());
        assertThat(update.code()).as(update.output()).isZero();
        assertThat(update.output()).contains("shutdown child stack backend: did not shut down",
                "backend: 0 objects left; unregistered");

        // The network linking the top's controller to backend's is the root's (deploy made it, so that the top's
        // controller could be created on it) and in the top controller's spec: it goes with the shutdown.
        String link = app + "-backend_parent";
        assertThat(leftovers("backend", "")).as("backend").containsOnly("network " + link);
        assertThat(docker.inspectNetworkCmd().withNetworkId(link).exec().getLabels())
                .containsEntry(Labels.NAMESPACE, app + "-root");
        assertThat(leftovers("backend-db", "backend")).as("db, below backend").isEmpty();
        System.out.println("[drop] unreachable backend (and db below it) dropped, update took "
                + Duration.between(started, Instant.now()).toMillis() + " ms");
        assertThat(client.status().children()).extracting(Status::name).containsExactly("web");
        HttpResponse<String> orders = get("/backend/orders/");
        assertThat(orders.body()).as("nothing of backend answers").doesNotContain("api:");
    }

    @Test
    @Order(5)
    void shutdownLeavesNothing() {
        DeployedDemo.Run shutdown = demo.cli("shutdown", "--app", app, "--yes");
        assertThat(shutdown.code()).as(shutdown.output()).isZero();
        for (String namespace : demo.namespaces()) {
            try (TestSwarm swarm = TestSwarm.of(namespace)) {
                // Shutdown keeps named volumes, as docker stack rm does: only the database's is left (removed on close).
                assertThat(swarm.leftovers()).as(namespace)
                        .isSubsetOf(List.of("volume " + demo.dataVolume()));
            }
        }
    }

    /** Updates the top with the demo's definitions, backend's replaced by {@code backend}. */
    private void updateTop(String backend) throws Exception {
        Files.writeString(demo.definitions.resolve("backend.yml"), backend);
        DeployedDemo.Run update = demo.cli("update", "--app", app, "-f",
                demo.definitions.resolve("stack.yml").toString());
        assertThat(update.code()).as(update.output()).isZero();
    }

    /** Posts an update to backend's control plane from inside the top controller; returns the raw answer. */
    private String updateBackendDirectly(String definition) throws Exception {
        String body = org.ailtire.stack.Json.MAPPER.writeValueAsString(Map.of("definition", definition,
                "environment", Map.of("GREETING", "hello from the backend")));
        String script = "exec 3<>/dev/tcp/backend/"
                + org.ailtire.swarm.topology.ControllerSettings.DEFAULT_ADMIN_PORT + " && printf 'POST /api/v1/update HTTP/1.1\\r\\nHost: backend\\r\\n"
                + "Authorization: Bearer %s\\r\\nX-Ailtire-Actor: dropped-child-it\\r\\nContent-Type: application/json\\r\\n"
                + "Content-Length: %s\\r\\nConnection: close\\r\\n\\r\\n%s' \"$TOKEN\" \"$LENGTH\" \"$BODY\" >&3"
                + " && timeout 20 cat <&3";
        var top = demo.runningContainer(app + "-root_" + app);
        String output = demo.execOutput(top, List.of("TOKEN=" + StackToken.of(demo.token).child("backend").value(),
                "BODY=" + body, "LENGTH=" + body.getBytes(StandardCharsets.UTF_8).length), Duration.ofSeconds(30),
                "bash", "-c", script);
        System.out.println("[drop] update sent to backend: " + output.lines().findFirst().orElse(""));
        return output;
    }

    private Status backendStatus() throws Exception {
        return DeployedDemo.find(client.status(), "backend").orElseThrow();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(demo.url.resolve(path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Everything of the db stack on the engine: objects with its namespace label or path (or one below), objects named
     * for it, its controller service and what backend made for it (configs, secrets, networks), and containers of any.
     */
    private List<String> dbLeftovers() {
        return leftovers("backend-db", "backend");
    }

    /**
     * Everything of one stack of the demo on the engine, as {@link #dbLeftovers()} for db.
     *
     * @param stack  the stack's namespace after the app's name, e.g. {@code backend-db}
     * @param parent its parent's, e.g. {@code backend} ({@code ""} for the top)
     */
    private List<String> leftovers(String stack, String parent) {
        String namespace = app + "-" + stack;
        String parentNamespace = parent.isEmpty() ? app : app + "-" + parent;
        String key = stack.substring(stack.lastIndexOf('-') + 1);
        String controller = parentNamespace + "_" + key;
        String path = "/" + app + "/" + stack.replace('-', '/');
        String madeByBackend = parentNamespace + "_ailtire-" + key + "-";
        java.util.function.Predicate<Map<String, String>> labelled = labels -> labels != null
                && (namespace.equals(labels.get(Labels.NAMESPACE))
                || labels.getOrDefault(Labels.STACK_PATH, "").equals(path)
                || labels.getOrDefault(Labels.STACK_PATH, "").startsWith(path + "/"));
        java.util.function.Predicate<String> named = name -> name.startsWith(namespace + "_")
                || name.equals(controller) || name.startsWith(madeByBackend);
        List<String> left = new ArrayList<>();
        docker.listServicesCmd().exec().stream()
                .filter(s -> labelled.test(s.getSpec().getLabels()) || named.test(s.getSpec().getName()))
                .forEach(s -> left.add("service " + s.getSpec().getName()));
        docker.listNetworksCmd().exec().stream().filter(n -> labelled.test(n.getLabels()) || named.test(n.getName()))
                .forEach(n -> left.add("network " + n.getName()));
        // Every config of ours carries the managed label (docker-java's config model has no labels: read them raw).
        org.ailtire.swarm.EngineConfigs.withLabels(docker, List.of(Labels.MANAGED + "=true")).stream()
                .filter(c -> labelled.test(c.labels()) || named.test(c.name()))
                .forEach(c -> left.add("config " + c.name()));
        docker.listConfigsCmd().exec().stream().filter(c -> named.test(c.getSpec().getName()))
                .forEach(c -> left.add("config " + c.getSpec().getName()));
        docker.listSecretsCmd().exec().stream()
                .filter(s -> labelled.test(s.getSpec().getLabels()) || named.test(s.getSpec().getName()))
                .forEach(s -> left.add("secret " + s.getSpec().getName()));
        docker.listContainersCmd().withShowAll(true).exec().stream()
                .filter(c -> named.test(c.getLabels().getOrDefault("com.docker.swarm.service.name", "")))
                .forEach(c -> left.add("container " + c.getNames()[0]));
        docker.listTasksCmd().exec().stream()
                .filter(t -> labelled.test(t.getLabels()) || t.getSpec() != null && t.getSpec().getContainerSpec() != null
                        && labelled.test(t.getSpec().getContainerSpec().getLabels()))
                .forEach(t -> left.add("task " + t.getId()));
        return left;
    }

    private void scaleToZero(String service) {
        var found = docker.inspectServiceCmd(service).exec();
        var spec = found.getSpec();
        spec.getMode().getReplicated().withReplicas(0);
        docker.updateServiceCmd(found.getId(), spec).withVersion(found.getVersion().getIndex()).exec();
    }

    private String backendControllerLog() throws InterruptedException {
        StringBuilder output = new StringBuilder();
        docker.logContainerCmd(demo.runningContainer(app + "_backend").getId()).withStdOut(true).withStdErr(true)
                .exec(new ResultCallback.Adapter<Frame>() {
                    @Override
                    public void onNext(Frame frame) {
                        output.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
                    }
                }).awaitCompletion(30, TimeUnit.SECONDS);
        return output.toString();
    }
}
