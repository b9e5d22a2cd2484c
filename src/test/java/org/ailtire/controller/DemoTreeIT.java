package org.ailtire.controller;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import org.ailtire.protocol.ControlPlaneClient;
import org.ailtire.protocol.EventSubscription;
import org.ailtire.protocol.LogSelection;
import org.ailtire.stack.Aggregate;
import org.ailtire.stack.LogLine;
import org.ailtire.stack.LogRequest;
import org.ailtire.stack.Status;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicReference;

import static org.ailtire.swarm.testsupport.DockerCli.docker;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The demo application (three levels of stacks) through the CLI on the real engine: deploy, the whole status tree
 * from the top, a task killed at the bottom seen at the top, an update of a child stack's definition through the
 * top, a grandchild's logs through the top, network isolation between the stacks, and a bottom-up shutdown that
 * leaves nothing behind but the database's named volume.
 */
@Tag("integration")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DemoTreeIT {
    /** A controller's ports in its container (ControllerSettings' defaults, which every controller of the tree has). */
    private static final int GATEWAY = org.ailtire.swarm.topology.ControllerSettings.DEFAULT_GATEWAY_PORT;
    private static final int ADMIN = org.ailtire.swarm.topology.ControllerSettings.DEFAULT_ADMIN_PORT;
    /** A variable given at deploy, as a password would be: the backend's api prints it, no config may hold it. */
    private static final String GREETING = "s3cret-" + java.util.UUID.randomUUID();
    private DeployedDemo demo;
    private String app;
    private ControlPlaneClient client;
    private DockerClient docker;

    @BeforeAll
    void deploy(@TempDir Path temp) throws Exception {
        demo = DeployedDemo.deploy("it-tree", temp, "[demo]", definitions -> {
        }, DeployedDemo.CONTROLLER_IMAGE, List.of("-e", "GREETING=" + GREETING));
        app = demo.app;
        client = demo.client;
        docker = demo.docker;
        System.out.println("[demo] deploy of 3 stacks took " + demo.deployTook.toMillis() + " ms");
        demo.requireDeployed();
        assertThat(demo.deployment.output()).contains("application " + app + " is up: http://127.0.0.1:" + demo.port + "/",
                "console: http://127.0.0.1:" + demo.adminPort + "/_ailtire/");
    }

    @AfterAll
    void removeEverything() {
        if (demo != null) {
            demo.close();
        }
    }

    @Test
    @Order(1)
    void theTopShowsTheWholeTree() throws Exception {
        Status top = client.status();
        assertThat(top.name()).isEqualTo(app);
        assertThat(top.aggregate()).isEqualTo(Aggregate.HEALTHY);
        assertThat(child(top, "web").state()).isEqualTo(Status.State.RUNNING);
        Status backend = child(top, "backend");
        assertThat(backend.type()).isEqualTo(Status.Type.STACK);
        assertThat(child(backend, "api").state()).isEqualTo(Status.State.RUNNING);
        Status db = child(backend, "db");
        assertThat(db.type()).isEqualTo(Status.Type.STACK);
        assertThat(child(db, "store").state()).isEqualTo(Status.State.RUNNING);
        assertThat(child(db, "postgres").state()).isEqualTo(Status.State.RUNNING);
    }

    @Test
    @Order(1)
    void variablesGivenAtDeployReachTheAppButNoConfig() throws Exception {
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() ->
                assertThat(logs("backend/api", LogRequest.Streams.STDOUT)).extracting(LogLine::text)
                        .contains("api: " + GREETING));
        String encoded = java.util.Base64.getEncoder().encodeToString(GREETING.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        int configs = 0;
        for (String namespace : demo.namespaces()) {
            List<String> ids = docker("config", "ls", "-q", "--filter", "label=com.docker.stack.namespace=" + namespace)
                    .lines().filter(l -> !l.isBlank()).toList();
            configs += ids.size();
            if (!ids.isEmpty()) {
                List<String> inspect = new ArrayList<>(List.of("config", "inspect"));
                inspect.addAll(ids);
                String shown = docker(inspect.toArray(String[]::new));
                assertThat(shown).as("docker config inspect of " + namespace).contains("\"Data\"")
                        .doesNotContain(GREETING).doesNotContain(encoded.substring(0, 24));
                for (String data : shown.lines().filter(l -> l.strip().startsWith("\"Data\"")).toList()) {
                    String base64 = data.strip().replaceAll("^\"Data\": \"|\",?$", "");
                    assertThat(new String(java.util.Base64.getDecoder().decode(base64),
                            java.nio.charset.StandardCharsets.UTF_8)).as(namespace).doesNotContain(GREETING);
                }
            }
        }
        assertThat(configs).as("the tree's configs (definitions, history)").isPositive();
        System.out.println("[demo] a variable given at deploy: in the api's output, in none of the tree's "
                + configs + " configs");
    }

    @Test
    @Order(2)
    void aTaskKilledAtTheBottomIsSeenAtTheTop() throws Exception {
        AtomicReference<Instant> seenAt = new AtomicReference<>();
        try (EventSubscription<Status> events = client.statusEvents()) {
            Thread watcher = Thread.ofVirtual().start(() -> {
                try {
                    Status status;
                    while ((status = events.next()) != null) {
                        if (storeOf(status).map(s -> s.state() != Status.State.RUNNING).orElse(false)) {
                            seenAt.set(Instant.now());
                            return;
                        }
                    }
                } catch (Exception ignored) {
                    // the subscription closes when the test ends
                }
            });
            Thread.sleep(500); // the first event is the current tree
            Container store = demo.runningContainer(app + "-backend-db_store");
            Instant killed = Instant.now();
            docker.killContainerCmd(store.getId()).exec();
            watcher.join(Duration.ofSeconds(30));
            assertThat(seenAt.get()).as("the top saw the bottom service stop").isNotNull();
            System.out.println("[demo] task killed in the bottom stack: seen at the top after "
                    + Duration.between(killed, seenAt.get()).toMillis() + " ms");
        }
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(storeOf(client.status())).hasValueSatisfying(s -> assertThat(s.state()).isEqualTo(Status.State.RUNNING)));
        // RUNNING is the task's state; the new task is routed once it is healthy and the gateways resolved it again.
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        Instant running = Instant.now();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
                assertThat(http.send(java.net.http.HttpRequest.newBuilder(demo.url.resolve("/backend/db/health")).build(),
                        java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode())
                        .as("the new store task, through the top gateway").isEqualTo(200));
        System.out.println("[demo] new store task routed through the top " + Duration.between(running, Instant.now()).toMillis()
                + " ms after its status said RUNNING");
    }

    @Test
    @Order(3)
    void aGrandchildsLogsAreReadThroughTheTop() throws Exception {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            List<LogLine> lines = logs("backend/db/store", LogRequest.Streams.BOTH);
            assertThat(lines).extracting(LogLine::text).contains("store ready");
            assertThat(lines).allSatisfy(line -> assertThat(line.service()).isEqualTo("backend/db/store"));
        });
        List<LogLine> wholeTree = new ArrayList<>();
        client.logs(new LogSelection(Optional.empty(), OptionalInt.of(50), Optional.empty(), LogRequest.Streams.BOTH),
                wholeTree::add);
        assertThat(wholeTree).extracting(LogLine::service).contains("web", "backend/api", "backend/db/store");
        List<LogLine> apiErrors = logs("backend/api", LogRequest.Streams.STDERR);
        assertThat(apiErrors).extracting(LogLine::text).contains("api warming up").doesNotContain("api tick");
    }

    @Test
    @Order(4)
    void servicesOfOneStackCannotReachAnotherStack() throws Exception {
        Container web = demo.runningContainer(app + "_web");
        Container api = demo.runningContainer(app + "-backend_api");
        Container store = demo.runningContainer(app + "-backend-db_store");
        Container postgres = demo.runningContainer(app + "-backend-db_postgres");
        Container top = demo.runningContainer(app + "-root_" + app);
        Container backendController = demo.runningContainer(app + "_backend");
        Container dbController = demo.runningContainer(app + "-backend_db");

        // Isolation is structural: two containers can only talk over an overlay network they are both on. (Probing
        // an address of a network the sender is not on would send the packet off this machine by its default
        // route, so the test asks the engine instead of sending such packets.)
        assertThat(sharedNetworks(api, web)).as("api and the top's web").isEmpty();
        assertThat(sharedNetworks(store, api)).as("store and its parent stack's api").isEmpty();
        assertThat(sharedNetworks(store, web)).as("store and the top's web").isEmpty();
        assertThat(sharedNetworks(postgres, api)).as("the database and the backend's api").isEmpty();
        assertThat(sharedNetworks(postgres, backendController)).as("the database and the backend's controller").isEmpty();
        assertThat(sharedNetworks(api, top)).as("api and the top controller").isEmpty();
        assertThat(sharedNetworks(web, backendController)).as("web and the backend's controller").isEmpty();
        assertThat(sharedNetworks(store, backendController)).as("store and its parent's controller").isEmpty();
        assertThat(sharedNetworks(top, api)).as("the top controller and a grandchild's service").isEmpty();
        assertThat(sharedNetworks(top, dbController)).as("the top controller and a grandchild's controller").isEmpty();

        // What must work does, over the networks they share (addresses on this machine only): a service reaches
        // its own stack's services and controller (its gateway); a controller its services and its child's
        // controller; a child controller its parent.
        assertThat(sharedNetworks(web, top)).containsExactly(app + "_default");
        assertThat(sharedNetworks(backendController, top)).containsExactly(app + "-backend_parent");
        assertThat(sharedNetworks(backendController, dbController)).containsExactly(app + "-backend-db_parent");
        assertThat(answer(web, addressOn(web, app + "_default"), 8000, "/")).as("web -> itself").contains("HTTP/1.");
        assertThat(answer(web, addressOn(top, app + "_default"), GATEWAY, "/"))
                .as("web -> its own stack's controller (its gateway)").contains("HTTP/1.");
        assertThat(demo.exec(backendController, "bash", "-c", "exec 3<>/dev/tcp/api/8000")).as("backend controller -> api").isZero();
        assertThat(demo.exec(backendController, "bash", "-c", "exec 3<>/dev/tcp/db/" + ADMIN)).as("backend controller -> db controller").isZero();
        assertThat(demo.exec(dbController, "bash", "-c", "exec 3<>/dev/tcp/ailtire-parent-of-db/" + ADMIN))
                .as("db controller -> its parent").isZero();
        assertThat(sharedNetworks(store, postgres)).containsExactly(app + "-backend-db_default");
        assertThat(demo.exec(store, "bash", "-c", "exec 3<>/dev/tcp/postgres/5432")).as("store -> its database").isZero();
    }

    /**
     * Every controller of the tree serves its control plane and console on its admin port and neither on its
     * gateway port: the top's as published on this host, each child's as its parent reaches it. A gateway answers
     * what the application routes there (here: no route, or the `/` service's own 404).
     */
    @Test
    @Order(4)
    void theControlPlaneIsOnEveryAdminPortAndOnNoGatewayPort() throws Exception {
        List<String> controlPlane = List.of("/api/v1/status", "/api/v1/health", "/api/v1/openapi.json", "/_ailtire/",
                "/_ailtire/console.js", "/_admin/status");
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        for (String path : controlPlane) {
            for (String prefix : List.of("", "/backend", "/backend/db")) {
                var onGateway = http.send(java.net.http.HttpRequest.newBuilder(demo.url.resolve(prefix + path))
                        .header("Authorization", "Bearer " + demo.token).build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
                assertThat(onGateway.statusCode()).as("top gateway " + prefix + path).isEqualTo(404);
            }
            var onAdmin = http.send(java.net.http.HttpRequest.newBuilder(demo.adminUrl.resolve(path))
                    .header("Authorization", "Bearer " + demo.token).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(onAdmin.statusCode()).as("top admin port " + path).isEqualTo(200);
        }
        Container top = demo.runningContainer(app + "-root_" + app);
        Container backendController = demo.runningContainer(app + "_backend");
        record Child(String name, Container parent, String host, String path) {
        }
        for (Child child : List.of(new Child("backend", top, "backend", "backend"),
                new Child("db", backendController, "db", "backend/db"))) {
            for (String path : controlPlane) {
                assertThat(demo.statusFrom(child.parent(), child.host(), GATEWAY, path, child.path()))
                        .as(child.name() + "'s gateway port, " + path).isEqualTo(404);
                assertThat(demo.statusFrom(child.parent(), child.host(), ADMIN, path, child.path()))
                        .as(child.name() + "'s admin port, " + path).isEqualTo(200);
            }
        }
        assertThat(demo.statusFrom(top, "backend", GATEWAY, "/orders/", "backend")).as("the backend's gateway routes")
                .isEqualTo(200);
        assertThat(demo.statusFrom(top, "backend", ADMIN, "/orders/", "backend")).as("no application route on an admin port")
                .isEqualTo(404);
    }

    private java.util.Set<String> sharedNetworks(Container a, Container b) {
        java.util.Set<String> shared = new java.util.TreeSet<>(networksOf(a));
        shared.retainAll(networksOf(b));
        return shared;
    }

    private java.util.Set<String> networksOf(Container container) {
        return docker.inspectContainerCmd(container.getId()).exec().getNetworkSettings().getNetworks().keySet();
    }

    /** The answer to an HTTP request from inside {@code from} to an address on a network they share. */
    private String answer(Container from, String address, int port, String path) throws InterruptedException {
        // bash's /dev/tcp (the services' Debian images have bash, not nc); it reads until the server closes, so a
        // proxied answer is not cut short.
        return demo.execOutput(from, "timeout", "5", "bash", "-c", "exec 3<>/dev/tcp/" + address + "/" + port
                + " && printf 'GET " + path + " HTTP/1.0\\r\\nHost: " + address + "\\r\\n\\r\\n' >&3 && cat <&3");
    }

    /**
     * The gateway port is HAProxy's, run by the controller: every haproxy process in the top controller's container
     * killed, it is started again and traffic through the tree goes on.
     */
    @Test
    @Order(5)
    void haproxyKilledInTheTopControllerIsStartedAgainAndServes() throws Exception {
        Container top = demo.runningContainer(app + "-root_" + app);
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        var before = http.send(java.net.http.HttpRequest.newBuilder(demo.url.resolve("/backend/orders/"))
                .timeout(Duration.ofSeconds(10)).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(before.statusCode()).as(before.body()).isEqualTo(200);
        // Living haproxy processes (a zombie keeps its name until reaped), the newest (the worker) first.
        String pids = "for p in /proc/[0-9]*; do [ \"$(cat $p/comm 2>/dev/null)\" = haproxy ] && ! grep -q '^State:.*Z'"
                + " $p/status && echo ${p#/proc/}; done | sort -rn";
        // The figure docs/gateway.md gives for the controller's idle memory (JVM and HAProxy together).
        Process stats = new ProcessBuilder("docker", "stats", "--no-stream", "--format", "{{.MemUsage}}", top.getId())
                .redirectErrorStream(true).start();
        System.out.println("[demo] top controller's memory (docker stats): "
                + new String(stats.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip()
                + "; RSS by process: " + demo.execOutput(top, "bash", "-c", "for p in /proc/[0-9]*; do"
                + " echo \"$(cat $p/comm) $(grep VmRSS $p/status)\"; done").replaceAll("\\s+", " "));
        stats.waitFor();
        // bash's own kill (the image has no kill binary); the worker first, so that its master reaps it (the master
        // may be gone by its turn: it exits when its worker dies, and the controller starts a new one).
        String killed = demo.execOutput(top, "bash", "-c", "for pid in $(" + pids + "); do echo $pid;"
                + " kill -9 $pid 2>/dev/null; sleep 0.5; done").strip();
        assertThat(killed).as("haproxy's master and worker pids, killed").matches("\\d+(\\s+\\d+)+");
        Instant at = Instant.now();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).ignoreExceptions().untilAsserted(() -> {
            var after = http.send(java.net.http.HttpRequest.newBuilder(demo.url.resolve("/backend/orders/"))
                    .timeout(Duration.ofSeconds(5)).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(after.statusCode()).isEqualTo(200);
        });
        System.out.println("[demo] haproxy killed in the top controller: serving again after "
                + Duration.between(at, Instant.now()).toMillis() + " ms");
        String running = demo.execOutput(top, "bash", "-c", pids).strip();
        assertThat(running).as("a new haproxy").isNotEmpty();
        assertThat(java.util.Set.of(running.split("\\s+"))).as("none of the killed pids")
                .doesNotContainAnyElementsOf(java.util.Set.of(killed.split("\\s+")));
        // tini, PID 1 of the image, reaps the processes the JVM did not start (a worker whose master was killed).
        String zombies = "for p in /proc/[0-9]*; do grep -q '^State:.*Z' $p/status 2>/dev/null && echo \"${p#/proc/}"
                + " $(cat $p/comm)\"; done; true";
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(demo.execOutput(top, "bash", "-c", zombies).strip()).as("zombie processes").isEmpty());
    }

    @Test
    @Order(5)
    void aChildStacksDefinitionIsUpdatedThroughTheTop() throws Exception {
        Path backend = demo.definitions.resolve("backend.yml");
        Files.writeString(backend, Files.readString(backend).replace("echo \\\"api: $$GREETING\\\"", "echo \\\"api v2: $$GREETING\\\""));
        assertThat(Files.readString(backend)).contains("api v2");
        DeployedDemo.Run update = demo.cli("update", "--app", app, "-f", demo.definitions.resolve("stack.yml").toString());
        assertThat(update.code()).as(update.output()).isZero();
        await().atMost(Duration.ofSeconds(120)).ignoreExceptions().untilAsserted(() ->
                assertThat(logs("backend/api", LogRequest.Streams.STDOUT)).extracting(LogLine::text)
                        .anySatisfy(text -> assertThat(text).startsWith("api v2: ")));
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() -> {
            Status top = client.status();
            assertThat(top.aggregate()).isEqualTo(Aggregate.HEALTHY);
            assertThat(storeOf(top)).isPresent();
        });
    }

    @Test
    @Order(6)
    void shutdownGoesBottomUpAndLeavesOnlyTheDataVolume() throws Exception {
        Instant started = Instant.now();
        DeployedDemo.Run shutdown = demo.cli("shutdown", "--app", app, "--yes");
        System.out.println("[demo] shutdown of 3 stacks took " + Duration.between(started, Instant.now()).toMillis() + " ms");
        assertThat(shutdown.code()).as(shutdown.output()).isZero();
        // Named volumes are kept, as `docker stack rm` keeps them; DeployedDemo.close() removes this one.
        assertThat(demo.objectsLeft()).containsExactly("volume " + demo.dataVolume());
        assertThat(demo.contextFile()).doesNotExist();
    }

    private List<LogLine> logs(String service, LogRequest.Streams streams) throws Exception {
        List<LogLine> lines = new ArrayList<>();
        client.logs(new LogSelection(Optional.of(service), OptionalInt.of(200), Optional.empty(), streams), lines::add);
        return lines;
    }

    private static Optional<Status> storeOf(Status top) {
        return DeployedDemo.find(top, "backend").flatMap(b -> DeployedDemo.find(b, "db"))
                .flatMap(d -> DeployedDemo.find(d, "store"));
    }

    private static Status child(Status parent, String name) {
        return DeployedDemo.find(parent, name).orElseThrow(() -> new AssertionError(name + " not in " + parent));
    }

    private String addressOn(Container container, String network) {
        var settings = docker.inspectContainerCmd(container.getId()).exec().getNetworkSettings().getNetworks().get(network);
        assertThat(settings).as(container.getNames()[0] + " on " + network).isNotNull();
        return settings.getIpAddress();
    }
}
