package org.ailtire.controller;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Frame;
import org.ailtire.cli.CliEnvironment;
import org.ailtire.cli.ControlPlaneClient;
import org.ailtire.cli.EventSubscription;
import org.ailtire.cli.LogSelection;
import org.ailtire.cli.Main;
import org.ailtire.stack.Aggregate;
import org.ailtire.stack.LogLine;
import org.ailtire.stack.LogRequest;
import org.ailtire.stack.Status;
import org.ailtire.swarm.DockerClients;
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

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The demo application (three levels of stacks) through the CLI on the real engine: deploy, the whole status tree
 * from the top, a task killed at the bottom seen at the top, an update of a child stack's definition through the
 * top, a grandchild's logs through the top, network isolation between the stacks, and a bottom-up shutdown that
 * leaves nothing behind.
 */
@Tag("integration")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DemoTreeIT {
    private final String app = "it-tree-" + UUID.randomUUID().toString().substring(0, 4);
    private final DockerClient docker = DockerClients.connect();
    private Path home;
    private Path definitions;
    private int port;
    private ControlPlaneClient client;

    @BeforeAll
    void deploy(@TempDir Path temp) throws Exception {
        home = temp.resolve("home");
        definitions = temp.resolve("shop");
        Files.createDirectories(definitions);
        for (String file : List.of("stack.yml", "backend.yml", "db.yml")) {
            Files.copy(Path.of("examples/shop", file), definitions.resolve(file));
        }
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Instant started = Instant.now();
        // AILTIRE_IT_CONTROLLER_IMAGE lets a run use its own build while other builds retag :local on the engine.
        String image = System.getenv().getOrDefault("AILTIRE_IT_CONTROLLER_IMAGE", "ailtire/controller:local");
        Run deploy = cli("deploy", "-f", definitions.resolve("stack.yml").toString(), "--app", app,
                "--port", Integer.toString(port), "--timeout", "PT180S", "--image", image);
        System.out.println("[demo] deploy of 3 stacks took " + Duration.between(started, Instant.now()).toMillis() + " ms");
        assertThat(deploy.code()).as(deploy.output()).isZero();
        assertThat(deploy.output()).contains("application " + app + " is up: http://127.0.0.1:" + port + "/");
        String token = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(home.resolve(".ailtire").resolve(app + ".json").toFile()).get("token").asText();
        client = new ControlPlaneClient(URI.create("http://127.0.0.1:" + port), token);
    }

    @AfterAll
    void removeEverything() {
        try {
            cli("shutdown", "--app", app, "--yes");
        } catch (Exception e) {
            System.err.println("[demo] shutdown in cleanup failed: " + e);
        }
        for (String namespace : namespaces()) {
            try (TestSwarm swarm = TestSwarm.of(namespace)) {
                swarm.removeAll();
            }
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
            Container store = container(app + "-backend-db_store");
            Instant killed = Instant.now();
            docker.killContainerCmd(store.getId()).exec();
            watcher.join(Duration.ofSeconds(30));
            assertThat(seenAt.get()).as("the top saw the bottom service stop").isNotNull();
            System.out.println("[demo] task killed in the bottom stack: seen at the top after "
                    + Duration.between(killed, seenAt.get()).toMillis() + " ms");
        }
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(storeOf(client.status())).hasValueSatisfying(s -> assertThat(s.state()).isEqualTo(Status.State.RUNNING)));
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
        Container web = container(app + "_web");
        Container api = container(app + "-backend_api");
        Container store = container(app + "-backend-db_store");
        Container top = container(app + "-root_" + app);
        Container backendController = container(app + "_backend");
        Container dbController = container(app + "-backend_db");

        // Isolation is structural: two containers can only talk over an overlay network they are both on. (Probing
        // an address of a network the sender is not on would send the packet off this machine by its default
        // route, so the test asks the engine instead of sending such packets.)
        assertThat(sharedNetworks(api, web)).as("api and the top's web").isEmpty();
        assertThat(sharedNetworks(store, api)).as("store and its parent stack's api").isEmpty();
        assertThat(sharedNetworks(store, web)).as("store and the top's web").isEmpty();
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
        assertThat(reach(web, addressOn(web, app + "_default"), 8000, "/")).as("web -> itself").isTrue();
        assertThat(reach(web, addressOn(top, app + "_default"), 8080, "/api/v1/health"))
                .as("web -> its own stack's controller").isTrue();
        assertThat(exec(backendController, "bash", "-c", "exec 3<>/dev/tcp/api/8000")).as("backend controller -> api").isZero();
        assertThat(exec(backendController, "bash", "-c", "exec 3<>/dev/tcp/db/8080")).as("backend controller -> db controller").isZero();
        assertThat(exec(dbController, "bash", "-c", "exec 3<>/dev/tcp/ailtire-parent-of-db/8080"))
                .as("db controller -> its parent").isZero();
    }

    private java.util.Set<String> sharedNetworks(Container a, Container b) {
        java.util.Set<String> shared = new java.util.TreeSet<>(networksOf(a));
        shared.retainAll(networksOf(b));
        return shared;
    }

    private java.util.Set<String> networksOf(Container container) {
        return docker.inspectContainerCmd(container.getId()).exec().getNetworkSettings().getNetworks().keySet();
    }

    /** Whether an HTTP request from inside {@code from} to an address on a network they share gets an answer. */
    private boolean reach(Container from, String address, int port, String path) throws InterruptedException {
        String answer = execOutput(from, "sh", "-c", "printf 'GET " + path + " HTTP/1.0\\r\\nHost: " + address
                + "\\r\\n\\r\\n' | timeout 5 nc " + address + " " + port);
        return answer.contains("HTTP/1.");
    }

    @Test
    @Order(5)
    void aChildStacksDefinitionIsUpdatedThroughTheTop() throws Exception {
        Path backend = definitions.resolve("backend.yml");
        Files.writeString(backend, Files.readString(backend).replace("echo \\\"api: $$GREETING\\\"", "echo \\\"api v2: $$GREETING\\\""));
        assertThat(Files.readString(backend)).contains("api v2");
        Run update = cli("update", "--app", app, "-f", definitions.resolve("stack.yml").toString());
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
    void shutdownGoesBottomUpAndLeavesNothing() throws Exception {
        Instant started = Instant.now();
        Run shutdown = cli("shutdown", "--app", app, "--yes");
        System.out.println("[demo] shutdown of 3 stacks took " + Duration.between(started, Instant.now()).toMillis() + " ms");
        assertThat(shutdown.code()).as(shutdown.output()).isZero();
        for (String namespace : namespaces()) {
            try (TestSwarm swarm = TestSwarm.of(namespace)) {
                assertThat(swarm.leftovers()).as(namespace).isEmpty();
            }
        }
        assertThat(home.resolve(".ailtire").resolve(app + ".json")).doesNotExist();
    }

    private List<String> namespaces() {
        return List.of(app + "-root", app, app + "-backend", app + "-backend-db");
    }

    private List<LogLine> logs(String service, LogRequest.Streams streams) throws Exception {
        List<LogLine> lines = new ArrayList<>();
        client.logs(new LogSelection(Optional.of(service), OptionalInt.of(200), Optional.empty(), streams), lines::add);
        return lines;
    }

    private static Optional<Status> storeOf(Status top) {
        return find(top, "backend").flatMap(b -> find(b, "db")).flatMap(d -> find(d, "store"));
    }

    private static Status child(Status parent, String name) {
        return find(parent, name).orElseThrow(() -> new AssertionError(name + " not in " + parent));
    }

    private static Optional<Status> find(Status parent, String name) {
        return parent.children().stream().filter(c -> c.name().equals(name)).findFirst();
    }

    private Container container(String service) {
        return await().atMost(Duration.ofSeconds(30)).until(() -> docker.listContainersCmd()
                .withLabelFilter(Map.of("com.docker.swarm.service.name", service)).exec().stream()
                .filter(c -> "running".equals(c.getState())).findFirst(), Optional::isPresent).orElseThrow();
    }

    private String addressOn(Container container, String network) {
        var settings = docker.inspectContainerCmd(container.getId()).exec().getNetworkSettings().getNetworks().get(network);
        assertThat(settings).as(container.getNames()[0] + " on " + network).isNotNull();
        return settings.getIpAddress();
    }

    private String execOutput(Container container, String... command) throws InterruptedException {
        String id = docker.execCreateCmd(container.getId()).withCmd(command).withAttachStdout(true).withAttachStderr(true)
                .exec().getId();
        StringBuilder output = new StringBuilder();
        docker.execStartCmd(id).exec(new ResultCallback.Adapter<Frame>() {
            @Override
            public void onNext(Frame frame) {
                output.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
            }
        }).awaitCompletion(20, TimeUnit.SECONDS);
        return output.toString();
    }

    private long exec(Container container, String... command) throws InterruptedException {
        String id = docker.execCreateCmd(container.getId()).withCmd(command).withAttachStdout(true).withAttachStderr(true)
                .exec().getId();
        docker.execStartCmd(id).exec(new ResultCallback.Adapter<Frame>()).awaitCompletion(20, TimeUnit.SECONDS);
        Long code = docker.inspectExecCmd(id).exec().getExitCodeLong();
        return code == null ? -1 : code;
    }

    private record Run(int code, String output) {
    }

    private Run cli(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Map<String, String> env = new HashMap<>(System.getenv());
        env.remove("AILTIRE_URL");
        env.remove("AILTIRE_TOKEN");
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
        CliEnvironment cli = new CliEnvironment(env, home, print, print,
                new BufferedReader(new StringReader("")), false, 200);
        int code = Main.commandLine(cli).execute(args);
        String output = out.toString(StandardCharsets.UTF_8);
        System.out.println("[demo] ailtire-swarm " + String.join(" ", args) + " -> " + code + "\n" + output);
        return new Run(code, output);
    }
}
