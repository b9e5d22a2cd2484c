package org.ailtire.controller;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Service;
import com.github.dockerjava.api.model.SwarmNodeAvailability;
import com.github.dockerjava.api.model.Task;
import com.github.dockerjava.api.model.TaskState;
import org.ailtire.stack.Status;
import org.ailtire.swarm.Labels;
import org.ailtire.swarm.testsupport.TestCluster;
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
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import static org.ailtire.swarm.testsupport.DockerCli.docker;
import static org.ailtire.swarm.testsupport.DockerCli.dockerQuietly;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The demo tree on a real multi-node swarm ({@code scripts/cluster up}: a manager and workers, each a Docker engine
 * in a container; the CLI and this test talk to the manager, DOCKER_HOST). One deployment serves every scenario, in
 * order: deploy with the services spread over the nodes, a task killed on a worker, logs of a task on a worker, a
 * worker drained, a worker killed, and a shutdown that leaves nothing on any node. Lines starting with
 * {@code [cluster]} are the figures.
 */
@Tag("cluster")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {
    private static final int KILL_ROUNDS = 5;
    private static final String SPREAD = """
                deploy:
                  replicas: %d
                  placement:
                    preferences:
                      - spread: node.hostname
            """;

    private static final String TOOL = """
              tool:
                image: ailtire/busybox:local
                command: ["sh", "-c", "while true; do sleep 5; done"]
                stop_grace_period: 1s
                x-ailtire: {auto_redeploy: 30s}
            """;

    private TestCluster cluster;
    private DeployedDemo demo;
    private DockerClient manager;
    private String registry;
    private Path wrongPassword;
    private Path password;

    @BeforeAll
    void deploy(@TempDir Path temp) throws Exception {
        cluster = TestCluster.require();
        String dockerHost = System.getenv("DOCKER_HOST");
        assertThat(dockerHost).as("the cluster tests talk to the cluster's manager (DOCKER_HOST)")
                .isEqualTo(cluster.leader().socket().toString());
        manager = cluster.docker(cluster.leader());
        registry = cluster.setting("AILTIRE_CLUSTER_REGISTRY");
        password = Files.writeString(temp.resolve("registry-password"),
                cluster.setting("AILTIRE_CLUSTER_REGISTRY_PASSWORD"));
        wrongPassword = Files.writeString(temp.resolve("wrong-password"), "not-the-password");
        // Every image comes from the cluster's registry, with its credentials: the nodes pull them.
        demo = DeployedDemo.deploy("it-cluster", temp, "[cluster]", definitions -> {
            for (String file : List.of("stack.yml", "backend.yml", "db.yml")) {
                Path path = definitions.resolve(file);
                Files.writeString(path, Files.readString(path).replace("image: ailtire/", "image: " + registry + "/ailtire/"));
            }
            spread(definitions.resolve("stack.yml"), "    stop_grace_period: 1s\n", 3);
            spread(definitions.resolve("backend.yml"), "    stop_grace_period: 1s\n", 2);
            spread(definitions.resolve("db.yml"), "    stop_grace_period: 1s\n", 2);
            // A second own service of the top, so a webhook can be seen to update only the one whose digest moved
            // (after the spreading, which follows the first stop_grace_period).
            Path top = definitions.resolve("stack.yml");
            Files.writeString(top, Files.readString(top).replaceFirst("(?m)^services:\n", java.util.regex.Matcher
                    .quoteReplacement("services:\n" + TOOL.replace("image: ailtire/", "image: " + registry + "/ailtire/"))));
        }, registry + "/" + DeployedDemo.CONTROLLER_IMAGE, List.of("--registry-auth",
                registry + "=" + cluster.setting("AILTIRE_CLUSTER_REGISTRY_USER") + ":" + password));
    }

    /** Gives the service declared before {@code anchor} that many replicas, spread over the nodes. */
    private static void spread(Path file, String anchor, int replicas) throws java.io.IOException {
        String text = Files.readString(file);
        assertThat(text).contains(anchor);
        Files.writeString(file, text.replaceFirst(java.util.regex.Pattern.quote(anchor),
                java.util.regex.Matcher.quoteReplacement(anchor + SPREAD.formatted(replicas))));
    }

    @AfterAll
    void removeEverything() {
        try {
            if (demo != null) {
                demo.close();
            }
        } finally {
            // A node left stopped by a failed scenario comes back for the next test class.
            cluster.restoreAndClose();
        }
    }

    @Test
    @Order(1)
    void theTreeSpreadOverTheNodesReportsHealthyAndDeployReturnsTheUrl() throws Exception {
        demo.requireDeployed();
        System.out.println("[cluster] deploy of the 3-level demo on " + cluster.nodes().size()
                + " nodes, until every stack reported healthy: " + demo.deployTook.toMillis() + " ms");
        assertThat(demo.deployment.output()).contains("application " + demo.app + " is up: http://"
                + cluster.leader().address() + ":" + demo.port + "/");
        Status top = demo.client.status();
        assertThat(DeployedDemo.whole(top)).as(top.toString()).isTrue();
        assertThat(top.cluster()).extracting(Status.Node::name)
                .containsExactlyInAnyOrderElementsOf(cluster.nodes().stream().map(TestCluster.Node::name).toList());
        Set<String> nodesUsed = new HashSet<>(service(top, "web").nodes());
        nodesUsed.addAll(service(top, "backend", "api").nodes());
        nodesUsed.addAll(service(top, "backend", "db", "store").nodes());
        assertThat(service(top, "web").nodes()).as("3 replicas spread over 3 nodes").hasSize(3);
        // docker-java's model has no placement preferences: read the engine's own JSON.
        assertThat(rawService(demo.app + "_web").at("/Spec/TaskTemplate/Placement/Preferences/0/Spread/SpreadDescriptor")
                .asText()).as("the placement preference reached the engine").isEqualTo("node.hostname");
        assertThat(nodesUsed).as("the tree's services run on every node")
                .containsExactlyInAnyOrderElementsOf(cluster.nodes().stream().map(TestCluster.Node::name).toList());
        // The application answers through the three gateways, at the manager's address; its store reached PostgreSQL.
        assertThat(get(demo.url.resolve("/backend/db/"))).isEqualTo("store: 0 orders\n");
        // Every service runs its image from the registry, pinned to the digest it had at deploy.
        assertThat(serviceIds().keySet()).hasSize(8);
        serviceIds().values().forEach(id -> assertThat(image(id)).as(id).matches(java.util.regex.Pattern.quote(registry
                + "/") + "ailtire/(busybox|controller|demo-web|demo-store|demo-db):local@sha256:[0-9a-f]{64}"));
    }

    @Test
    @Order(2)
    void anUpdateWithAWrongRegistryPasswordOrAnUnknownTagFailsCleanly() throws Exception {
        Map<String, String> before = demo.versions();
        DeployedDemo.Run update = demo.cli("update", "--app", demo.app, "-f",
                demo.definitions.resolve("stack.yml").toString(), "-e", "GREETING=changed",
                "--registry-auth", registry + "=" + cluster.setting("AILTIRE_CLUSTER_REGISTRY_USER") + ":" + wrongPassword);
        assertThat(update.code()).as(update.output()).isNotZero();
        assertThat(update.output()).contains(registry + "/ailtire/").contains("refused the credentials");
        assertThat(demo.versions()).as("nothing was applied").isEqualTo(before);

        // The right credentials, but a tag the registry does not have.
        Path definition = demo.definitions.resolve("stack.yml");
        String text = Files.readString(definition);
        Files.writeString(definition, text.replaceFirst("image: " + java.util.regex.Pattern.quote(registry + "/"
                + "ailtire/demo-web:local"), "image: " + registry + "/ailtire/demo-web:no-such-tag"));
        try {
            DeployedDemo.Run unknownTag = demo.cli("update", "--app", demo.app, "-f", definition.toString(),
                    "--registry-auth", registry + "=" + cluster.setting("AILTIRE_CLUSTER_REGISTRY_USER") + ":" + password);
            assertThat(unknownTag.code()).as(unknownTag.output()).isNotZero();
            assertThat(unknownTag.output()).contains(registry + "/ailtire/demo-web:no-such-tag")
                    .contains("does not know this tag");
            assertThat(demo.versions()).as("nothing was applied").isEqualTo(before);
        } finally {
            Files.writeString(definition, text);
        }
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> DeployedDemo.whole(demo.client.status()));
    }

    @Test
    @Order(3)
    void aTaskKilledOnAWorkerShowsAtTheTopAndItsReplacementRuns() throws Exception {
        List<Long> seen = new ArrayList<>();
        List<Long> replaced = new ArrayList<>();
        for (int round = 0; round < KILL_ROUNDS; round++) {
            Task task = runningTaskOnAWorker(demo.app + "-backend-db_store");
            TestCluster.Node node = nodeOf(task);
            String container = task.getStatus().getContainerStatus().getContainerID();
            Duration until = demo.timeUntil(() -> cluster.docker(node).killContainerCmd(container).exec(),
                    top -> DeployedDemo.state(top, "backend", "db", "store")
                            .map(s -> s != Status.State.RUNNING).orElse(false));
            seen.add(until.toMillis());
            Instant killed = Instant.now();
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                    .until(() -> DeployedDemo.whole(demo.client.status()));
            replaced.add(Duration.between(killed, Instant.now()).toMillis() + until.toMillis());
            Status store = service(demo.client.status(), "backend", "db", "store");
            assertThat(store.nodes()).hasSize(2);
        }
        System.out.println("[cluster] a store task killed on a worker (" + KILL_ROUNDS + " rounds), seen at the top "
                + "of the 3-level tree after (ms): " + seen + ", p50 " + median(seen) + " ms; running again after "
                + "(ms): " + replaced + ", p50 " + median(replaced) + " ms");
        assertThat(seen).as("each kill was seen at the top").hasSize(KILL_ROUNDS);
    }

    @Test
    @Order(4)
    void logsOfATaskOnAWorkerAreReadThroughTheTop() {
        Task task = runningTaskOnAWorker(demo.app + "-backend-db_store");
        DeployedDemo.Run logs = demo.cli("logs", "--app", demo.app, "backend/db/store", "--tail", "50");
        assertThat(logs.code()).isZero();
        assertThat(logs.output()).as("the worker's task (" + task.getId() + ") logs through the manager")
                .contains("store ready");
    }

    @Test
    @Order(5)
    void aDrainedWorkerShowsInTheTreeItsTasksMoveAndTheTreeEndsWhole() throws Exception {
        TestCluster.Node worker = cluster.workers().getFirst();
        Map<String, String> servicesBefore = serviceIds();
        setAvailability(worker, SwarmNodeAvailability.DRAIN);
        try {
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> demo.client.status().cluster()
                    .stream().anyMatch(n -> n.name().equals(worker.name()) && "drain".equals(n.availability())));
            Instant drained = Instant.now();
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                    .until(() -> {
                        Status top = demo.client.status();
                        return DeployedDemo.whole(top) && servicesOn(top).stream().noneMatch(worker.name()::equals);
                    });
            System.out.println("[cluster] " + worker.name() + " drained: its tasks moved and the tree was whole "
                    + "again after " + Duration.between(drained, Instant.now()).toMillis() + " ms");
            assertThat(serviceIds()).as("no service added, removed or replaced").isEqualTo(servicesBefore);
        } finally {
            setAvailability(worker, SwarmNodeAvailability.ACTIVE);
        }
    }

    @Test
    @Order(6)
    void aKilledWorkerShowsDownItsTasksAreRescheduledAndNothingIsDuplicated() throws Exception {
        TestCluster.Node worker = cluster.workers().getLast();
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> DeployedDemo.whole(demo.client.status()));
        // Something must run there for the test to mean anything (the drained worker's tasks went elsewhere).
        assertThat(servicesOn(demo.client.status())).as("tasks on " + worker.name()).contains(worker.name());
        Map<String, String> servicesBefore = serviceIds();
        Instant killed = Instant.now();
        cluster.kill(worker);
        try {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                    .until(() -> demo.client.status().cluster().stream()
                            .anyMatch(n -> n.name().equals(worker.name()) && "down".equals(n.state())));
            long down = Duration.between(killed, Instant.now()).toMillis();
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                    .until(() -> {
                        Status top = demo.client.status();
                        return DeployedDemo.whole(top) && servicesOn(top).stream().noneMatch(
                                n -> n.startsWith(worker.name()));
                    });
            System.out.println("[cluster] " + worker.name() + " killed: shown down after " + down
                    + " ms, tree whole again on the other nodes after "
                    + Duration.between(killed, Instant.now()).toMillis() + " ms");
            assertThat(serviceIds()).as("no service added, removed or replaced").isEqualTo(servicesBefore);
            DeployedDemo.assertNothingDuplicated(demo.client.status(), "tool");
            assertThat(runningTasks()).as("each service runs its replicas once").allSatisfy((service, running) ->
                    assertThat(running).as(service).isEqualTo(replicas(service)));
        } finally {
            cluster.start(worker);
        }
    }

    @Test
    @Order(7)
    void scaleAndRedeployThroughTheCliRollTheServiceAreInTheHistoryAndRollBack() throws Exception {
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> DeployedDemo.whole(demo.client.status()));
        int before = demo.client.history().path("current").asInt();
        String web = serviceId(demo.app + "_web");
        String tool = serviceId(demo.app + "_tool");
        long webVersion = specVersion(web);

        DeployedDemo.Run scale = demo.cli("scale", "--app", demo.app, "web=2");
        assertThat(scale.code()).as(scale.output()).isZero();
        assertThat(scale.output()).contains("scale web to 2: update ").contains("converged");
        assertThat(replicas(demo.app + "_web")).isEqualTo(2);
        await().atMost(Duration.ofSeconds(60)).until(() -> runningTasks().get(demo.app + "_web") == 2);
        Set<String> toolTasks = taskIds(tool);

        DeployedDemo.Run redeploy = demo.cli("redeploy", "--app", demo.app, "tool");
        assertThat(redeploy.code()).as(redeploy.output()).isZero();
        assertThat(rawService(demo.app + "_tool").at("/Spec/TaskTemplate/ForceUpdate").asInt()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(60)).until(() -> runningTasks().get(demo.app + "_tool") == 1
                && !toolTasks.containsAll(runningTaskIds(tool)));
        assertThat(runningTaskIds(tool)).as("the redeployed service's task was replaced, its digest the same")
                .doesNotContainAnyElementsOf(toolTasks);

        DeployedDemo.Run history = demo.cli("history", "--app", demo.app);
        assertThat(history.output()).contains("(scale web to 2)", "(redeploy tool)");
        DeployedDemo.Run rollback = demo.cli("rollback", "--app", demo.app, Integer.toString(before));
        assertThat(rollback.code()).as(rollback.output()).isZero();
        assertThat(replicas(demo.app + "_web")).as("the rollback put the replicas back").isEqualTo(3);
        assertThat(specVersion(web)).isGreaterThan(webVersion);
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> DeployedDemo.whole(demo.client.status()));
    }

    @Test
    @Order(8)
    void aSignedWebhookUpdatesOnlyTheServiceWhoseDigestMovedAndUnsignedOrReplayedOnesAreRefused() throws Exception {
        DeployedDemo.Run created = demo.cli("webhook", "--app", demo.app, "--create");
        assertThat(created.code()).as(created.output()).isZero();
        String secret = created.output().lines().filter(l -> l.startsWith("secret:")).findFirst().orElseThrow()
                .split(" +")[1];
        java.net.URI hook = demo.client.base().resolve("/hooks/redeploy");
        assertThat(deliver(hook, "{}", null).statusCode()).as("unsigned").isEqualTo(401);

        String web = serviceId(demo.app + "_web");
        String tool = serviceId(demo.app + "_tool");
        String webImage = image(web);
        long toolVersion = specVersion(tool);
        Set<String> toolTasks = runningTaskIds(tool);
        int before = demo.client.history().path("current").asInt();
        String moved = pushRebuilt("ailtire/demo-web:local");

        String body = "{}";
        String signature = org.ailtire.webhook.WebhookSignature.header(secret, Instant.now().getEpochSecond(),
                body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        Instant delivered = Instant.now();
        var accepted = deliver(hook, body, signature);
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        String id = org.ailtire.stack.Json.MAPPER.readTree(accepted.body()).get("id").asText();
        await().atMost(Duration.ofSeconds(120)).until(() -> demo.client.updateView(id).state()
                != org.ailtire.stack.Update.State.RUNNING);
        assertThat(demo.client.updateView(id).state()).isEqualTo(org.ailtire.stack.Update.State.SUCCEEDED);
        System.out.println("[cluster] a signed webhook delivery: web on the tag's new digest, tool left alone, after "
                + Duration.between(delivered, Instant.now()).toMillis() + " ms");
        assertThat(image(web)).as("web runs the tag's new digest").isNotEqualTo(webImage).endsWith("@" + moved);
        assertThat(specVersion(tool)).as("tool's digest did not move: left alone").isEqualTo(toolVersion);
        assertThat(runningTaskIds(tool)).isEqualTo(toolTasks);
        var latest = demo.client.history().path("versions");
        assertThat(latest.get(latest.size() - 1).path("actor").asText()).startsWith("webhook from ")
                .endsWith("(webhook: tool, web)");

        var replayed = deliver(hook, body, signature);
        assertThat(replayed.statusCode()).as(replayed.body()).isEqualTo(409);
        assertThat(replayed.body()).contains("replayed");

        // The version before the webhook ran the old digest: a rollback runs it again, not the tag's newest.
        DeployedDemo.Run rollback = demo.cli("rollback", "--app", demo.app, Integer.toString(before));
        assertThat(rollback.code()).as(rollback.output()).isZero();
        assertThat(image(web)).isEqualTo(webImage);
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> DeployedDemo.whole(demo.client.status()));
    }

    @Test
    @Order(9)
    void aServiceThatAutoRedeploysFollowsItsTagToANewDigestAndNothingElseMoves() throws Exception {
        String tool = serviceId(demo.app + "_tool");
        String web = serviceId(demo.app + "_web");
        String toolImage = image(tool);
        long webVersion = specVersion(web);
        String moved = pushRebuilt("ailtire/busybox:local");
        Instant pushed = Instant.now();

        // Its interval is 30 s: within two ticks and the roll, the controller saw the tag move and updated tool.
        await().atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofSeconds(2))
                .until(() -> image(tool).endsWith("@" + moved));
        System.out.println("[cluster] auto-redeploy (every 30 s): tool's spec on the tag's new digest "
                + Duration.between(pushed, Instant.now()).toMillis() + " ms after the push");
        assertThat(toolImage).doesNotEndWith("@" + moved);
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> {
            var versions = demo.client.history().path("versions");
            return versions.get(versions.size() - 1).path("actor").asText()
                    .equals("auto-redeploy (auto-redeploy: tool)");
        });
        assertThat(specVersion(web)).as("web does not auto-redeploy: left alone").isEqualTo(webVersion);
        assertThat(demo.client.events()).anyMatch(e -> e.actor().startsWith("auto-redeploy")
                && e.result().equals("succeeded"));
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> DeployedDemo.whole(demo.client.status()));
    }

    private static java.net.http.HttpResponse<String> deliver(java.net.URI hook, String body, String signature)
            throws Exception {
        var request = java.net.http.HttpRequest.newBuilder(hook).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json");
        if (signature != null) {
            request.header(org.ailtire.webhook.WebhookSignature.HEADER, signature);
        }
        return java.net.http.HttpClient.newHttpClient().send(request.POST(
                java.net.http.HttpRequest.BodyPublishers.ofString(body)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Pushes a rebuilt {@code image} (one label more: another digest) to the cluster's registry under the same name,
     * from the host's engine, as a CI would; returns its digest. The host's own images are left as they were.
     */
    private String pushRebuilt(String image) throws Exception {
        Path build = Files.createTempDirectory("it-rebuild");
        Path config = Files.createTempDirectory("it-rebuild-docker-config");
        String host = "unix:///var/run/docker.sock";
        String local = image.substring(0, image.indexOf(':')) + ":it-rebuilt";
        String remote = cluster.setting("AILTIRE_CLUSTER_REGISTRY_HOST") + "/" + image;
        try {
            Files.writeString(build.resolve("Dockerfile"), "FROM " + image + "\nLABEL org.ailtire.it=rebuilt-"
                    + System.nanoTime() + "\n");
            docker("-H", host, "build", "-q", "-t", local, build.toString());
            docker("-H", host, "tag", local, remote);
            docker("--config", config.toString(), "-H", host, "login", "-u",
                    cluster.setting("AILTIRE_CLUSTER_REGISTRY_USER"), "-p",
                    cluster.setting("AILTIRE_CLUSTER_REGISTRY_PASSWORD"), cluster.setting("AILTIRE_CLUSTER_REGISTRY_HOST"));
            String pushed = docker("--config", config.toString(), "-H", host, "push", remote);
            var digest = java.util.regex.Pattern.compile("digest: (sha256:[0-9a-f]{64})").matcher(pushed);
            assertThat(digest.find()).as(pushed).isTrue();
            return digest.group(1);
        } finally {
            dockerQuietly("-H", host, "rmi", remote, local);
            deleteTree(build);
            deleteTree(config);
        }
    }

    private static void deleteTree(Path root) throws java.io.IOException {
        try (var paths = Files.walk(root)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    private long specVersion(String serviceId) {
        return manager.inspectServiceCmd(serviceId).exec().getVersion().getIndex();
    }

    private Set<String> taskIds(String serviceId) {
        return manager.listTasksCmd().withServiceFilter(serviceId).exec().stream().map(Task::getId)
                .collect(Collectors.toSet());
    }

    private Set<String> runningTaskIds(String serviceId) {
        return manager.listTasksCmd().withServiceFilter(serviceId).exec().stream()
                .filter(t -> t.getDesiredState() == TaskState.RUNNING && t.getStatus().getState() == TaskState.RUNNING)
                .map(Task::getId).collect(Collectors.toSet());
    }

    @Test
    @Order(10)
    void shutdownLeavesNothingOnAnyNode() throws Exception {
        DeployedDemo.Run shutdown = demo.cli("shutdown", "--app", demo.app, "--yes");
        assertThat(shutdown.code()).as(shutdown.output()).isZero();
        for (String namespace : demo.namespaces()) {
            Map<String, String> label = Map.of(Labels.NAMESPACE, namespace);
            assertThat(manager.listServicesCmd().withLabelFilter(label).exec()).as(namespace).isEmpty();
            assertThat(manager.listConfigsCmd().withFilters(Map.of("label", List.of(Labels.NAMESPACE + "=" + namespace)))
                    .exec()).as(namespace).isEmpty();
            assertThat(manager.listSecretsCmd().withLabelFilter(label).exec()).as(namespace).isEmpty();
        }
        for (TestCluster.Node node : cluster.nodes()) {
            DockerClient engine = cluster.docker(node);
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                assertThat(engine.listContainersCmd().withShowAll(true).exec().stream()
                        .filter(c -> c.getLabels() != null && demo.namespaces().contains(c.getLabels().get(Labels.NAMESPACE)))
                        .map(c -> String.join(",", c.getNames())).toList()).as("containers on " + node.name()).isEmpty();
                assertThat(engine.listNetworksCmd().exec().stream()
                        .filter(n -> demo.namespaces().stream().anyMatch(ns -> n.getName().startsWith(ns + "_")))
                        .map(n -> n.getName()).toList()).as("networks on " + node.name()).isEmpty();
            });
            // Named volumes are kept (as `docker stack rm` keeps them), on each node the database ran on: only the
            // database's. Removed here, node by node, as README tells users to.
            for (String namespace : demo.namespaces()) {
                var volumes = engine.listVolumesCmd().withFilter("label", List.of(Labels.NAMESPACE + "=" + namespace))
                        .exec().getVolumes();
                List<String> names = volumes == null ? List.of() : volumes.stream().map(v -> v.getName()).toList();
                assertThat(names).as("volumes on " + node.name()).isSubsetOf(demo.dataVolume());
                names.forEach(name -> engine.removeVolumeCmd(name).exec());
            }
        }
        System.out.println("[cluster] shutdown left 0 objects on " + cluster.nodes().size()
                + " nodes, but the database's volume (removed by the test)");
    }

    private Task runningTaskOnAWorker(String serviceName) {
        Set<String> workers = cluster.workers().stream().map(TestCluster.Node::name).collect(Collectors.toSet());
        Map<String, String> hostById = new java.util.HashMap<>();
        manager.listSwarmNodesCmd().exec().forEach(n -> hostById.put(n.getId(), n.getDescription().getHostname()));
        return await().atMost(Duration.ofSeconds(60)).until(() -> manager.listTasksCmd()
                .withServiceFilter(serviceId(serviceName)).exec().stream()
                .filter(t -> t.getDesiredState() == TaskState.RUNNING && t.getStatus().getState() == TaskState.RUNNING)
                .filter(t -> workers.contains(hostById.get(t.getNodeId())))
                .findFirst(), Optional::isPresent).orElseThrow();
    }

    private TestCluster.Node nodeOf(Task task) {
        String host = manager.listSwarmNodesCmd().withIdFilter(List.of(task.getNodeId())).exec().getFirst()
                .getDescription().getHostname();
        return cluster.node(host);
    }

    private String serviceId(String name) {
        return manager.listServicesCmd().withNameFilter(List.of(name)).exec().stream()
                .filter(s -> s.getSpec().getName().equals(name)).map(Service::getId).findFirst().orElseThrow();
    }

    private void setAvailability(TestCluster.Node node, SwarmNodeAvailability availability) {
        var current = manager.listSwarmNodesCmd().exec().stream()
                .filter(n -> node.name().equals(n.getDescription().getHostname())).findFirst().orElseThrow();
        manager.updateSwarmNodeCmd().withSwarmNodeId(current.getId()).withVersion(current.getVersion().getIndex())
                .withSwarmNodeSpec(current.getSpec().withAvailability(availability)).exec();
    }

    /** Service name -> id, over every namespace of the app. */
    private Map<String, String> serviceIds() {
        Map<String, String> ids = new java.util.TreeMap<>();
        for (String namespace : demo.namespaces()) {
            manager.listServicesCmd().withLabelFilter(Map.of(Labels.NAMESPACE, namespace)).exec()
                    .forEach(s -> ids.put(s.getSpec().getName(), s.getId()));
        }
        return ids;
    }

    private com.fasterxml.jackson.databind.JsonNode rawService(String name) throws Exception {
        try (var response = org.ailtire.swarm.EngineHttp.of(manager).execute(
                com.github.dockerjava.transport.DockerHttpClient.Request.builder()
                        .method(com.github.dockerjava.transport.DockerHttpClient.Request.Method.GET)
                        .path("/services/" + name).build());
             var body = response.getBody()) {
            assertThat(response.getStatusCode()).isEqualTo(200);
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(body);
        }
    }

    private String image(String serviceId) {
        return manager.inspectServiceCmd(serviceId).exec().getSpec().getTaskTemplate().getContainerSpec().getImage();
    }

    /** Service name -> tasks running and meant to, over every namespace of the app. */
    private Map<String, Long> runningTasks() {
        Map<String, Long> running = new java.util.TreeMap<>();
        serviceIds().forEach((name, id) -> running.put(name, manager.listTasksCmd().withServiceFilter(id).exec()
                .stream().filter(t -> t.getDesiredState() == TaskState.RUNNING
                        && t.getStatus().getState() == TaskState.RUNNING).count()));
        return running;
    }

    private long replicas(String serviceName) {
        var mode = manager.inspectServiceCmd(serviceId(serviceName)).exec().getSpec().getMode();
        return mode.getReplicated() == null ? 1 : mode.getReplicated().getReplicas();
    }

    /** The nodes named by any service of the tree. */
    private static Collection<String> servicesOn(Status status) {
        List<String> nodes = new ArrayList<>(status.nodes());
        status.children().forEach(c -> nodes.addAll(servicesOn(c)));
        return nodes;
    }

    private static Status service(Status top, String... path) {
        Optional<Status> at = Optional.of(top);
        for (String name : path) {
            at = at.flatMap(s -> DeployedDemo.find(s, name));
        }
        return at.orElseThrow(() -> new AssertionError("no " + String.join("/", path) + " in " + top));
    }

    private static String get(java.net.URI uri) throws Exception {
        var http = java.net.http.HttpClient.newHttpClient();
        return await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> http.send(
                java.net.http.HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).body(), b -> b != null && !b.isEmpty());
    }

    private static long median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }
}
