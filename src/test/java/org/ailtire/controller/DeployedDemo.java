package org.ailtire.controller;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.Service;
import com.github.dockerjava.api.model.Task;
import com.github.dockerjava.api.model.TaskState;
import org.ailtire.protocol.EventSubscription;
import org.ailtire.stack.Aggregate;
import org.ailtire.swarm.Labels;
import org.ailtire.cli.CliEnvironment;
import org.ailtire.protocol.ControlPlaneClient;
import org.ailtire.cli.Main;
import org.ailtire.stack.StackToken;
import org.ailtire.stack.Status;
import org.ailtire.swarm.DockerClients;
import org.ailtire.swarm.testsupport.DemoFiles;
import org.ailtire.swarm.testsupport.TestSwarm;
import org.ailtire.swarm.topology.ControllerSettings;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
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
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The demo application (examples/shop: shop, then backend, then db with its PostgreSQL) deployed through the CLI in
 * this JVM for an integration test, with the CLI's home in a temporary folder. {@link #close()} shuts it down if a
 * test did not and removes whatever is left in its namespaces, the data volume included, even after a failure.
 */
final class DeployedDemo implements AutoCloseable {
    /** The controller image under test; AILTIRE_IT_CONTROLLER_IMAGE picks another build when several share the engine. */
    static final String CONTROLLER_IMAGE = Optional.ofNullable(System.getenv("AILTIRE_IT_CONTROLLER_IMAGE"))
            .orElse(ControllerSettings.DEFAULT_IMAGE);

    record Run(int code, String output) {
    }

    final String app;
    final Path home;
    final Path definitions;
    final DockerClient docker = DockerClients.connect();
    final Run deployment;
    final Duration deployTook;
    final ControlPlaneClient client;
    /** The application's port: the top controller's gateway. */
    final int port;
    /** The top controller's admin port: its control plane and console. */
    final int adminPort;
    /** Where the application answers (the top gateway), as deploy wrote it in the context (loopback on one node). */
    final URI url;
    /** Where the top controller's control plane answers, as deploy wrote it in the context; the client's URL. */
    final URI adminUrl;
    final String token;
    private final String logPrefix;

    /** Changes the copied definitions (the folder holding stack.yml, backend.yml and db.yml) before the deploy. */
    @FunctionalInterface
    interface DefinitionEdit {
        void edit(Path definitions) throws IOException;
    }

    private final String controllerImage;
    private final List<String> deployOptions;

    private DeployedDemo(String appPrefix, Path temp, String logPrefix, DefinitionEdit edit, String controllerImage,
                         List<String> deployOptions) throws IOException {
        this(appPrefix + "-" + UUID.randomUUID().toString().substring(0, 4), temp.resolve("home"), temp.resolve("shop"),
                freePorts(), logPrefix, controllerImage, deployOptions, edit);
    }

    /** Deploys the application again as it was first deployed: same name, definitions, port and home. */
    private DeployedDemo(DeployedDemo first) throws IOException {
        this(first.app, first.home, first.definitions, new int[] {first.port, first.adminPort}, first.logPrefix,
                first.controllerImage, first.deployOptions, null);
    }

    /** @param ports the gateway's and the admin port */
    private DeployedDemo(String app, Path home, Path definitions, int[] ports, String logPrefix, String controllerImage,
                         List<String> deployOptions, DefinitionEdit edit) throws IOException {
        this.app = app;
        this.home = home;
        this.definitions = definitions;
        this.port = ports[0];
        this.adminPort = ports[1];
        this.logPrefix = logPrefix;
        this.controllerImage = controllerImage;
        this.deployOptions = List.copyOf(deployOptions);
        if (edit != null) {
            DemoFiles.copyTo(definitions);
            edit.edit(definitions);
        }
        long started = System.nanoTime();
        List<String> args = new java.util.ArrayList<>(List.of("deploy", "-f", definitions.resolve("stack.yml").toString(),
                "--app", app, "--port", Integer.toString(port), "--admin-port", Integer.toString(adminPort),
                "--timeout", "PT180S", "--image", controllerImage));
        args.addAll(deployOptions);
        this.deployment = cli(args.toArray(String[]::new));
        this.deployTook = Duration.ofNanos(System.nanoTime() - started);
        // A failed deploy is the test's to assert (see requireDeployed); this object must exist to clean up.
        boolean deployed = deployment.code() == 0 && Files.exists(contextFile());
        var context = deployed ? new com.fasterxml.jackson.databind.ObjectMapper().readTree(contextFile().toFile()) : null;
        this.token = deployed ? context.get("token").asText() : null;
        // The context's url is the admin URL the CLI talks to; applicationUrl the gateway's.
        this.adminUrl = deployed ? URI.create(context.get("url").asText()) : null;
        this.url = deployed ? URI.create(context.get("applicationUrl").asText()) : null;
        this.client = deployed ? new ControlPlaneClient(adminUrl, token) : null;
    }

    /** Two free ports, different ones (both held open while asked for). */
    private static int[] freePorts() throws IOException {
        try (ServerSocket free = new ServerSocket(0); ServerSocket another = new ServerSocket(0)) {
            return new int[] {free.getLocalPort(), another.getLocalPort()};
        }
    }

    /**
     * Deploys the application again after a {@code shutdown}, with the same name, definitions and ports (so the same
     * volumes); the returned demo is the one to close (this one's client is stale).
     */
    DeployedDemo deployAgain() throws IOException {
        assertThat(contextFile()).as("deployAgain follows a shutdown").doesNotExist();
        DeployedDemo again = new DeployedDemo(this);
        try {
            docker.close(); // not close(): the context file is the new deployment's now
        } catch (IOException ignored) {
            // closing the HTTP client
        }
        return again;
    }

    /** Labelled objects of the application's namespaces still on the engine; removes nothing. */
    List<String> objectsLeft() {
        List<String> left = new java.util.ArrayList<>();
        namespaces().forEach(namespace -> left.addAll(TestSwarm.leftovers(docker, namespace)));
        return left;
    }

    /** The db stack's PostgreSQL volume, which shutdown keeps (as {@code docker stack rm} keeps volumes). */
    String dataVolume() {
        return DemoFiles.dataVolume(app);
    }

    /** Fails the test, with what deploy printed, when the deploy did not succeed. */
    DeployedDemo requireDeployed() {
        assertThat(deployment.code()).as(deployment.output()).isZero();
        assertThat(client).as("the context file deploy writes").isNotNull();
        return this;
    }

    /**
     * @param appPrefix the application's name before a random suffix; start it with {@code it-} so CI's sweep knows it
     * @param logPrefix what the test's output lines start with, e.g. {@code [demo]}
     */
    static DeployedDemo deploy(String appPrefix, Path temp, String logPrefix) throws IOException {
        return new DeployedDemo(appPrefix, temp, logPrefix, definitions -> {
        }, CONTROLLER_IMAGE, List.of());
    }

    /** As {@link #deploy(String, Path, String)}, with the demo's definitions changed by {@code edit} first. */
    static DeployedDemo deploy(String appPrefix, Path temp, String logPrefix, DefinitionEdit edit) throws IOException {
        return new DeployedDemo(appPrefix, temp, logPrefix, edit, CONTROLLER_IMAGE, List.of());
    }

    /** As {@link #deploy(String, Path, String, DefinitionEdit)}, with this controller image and more deploy options. */
    static DeployedDemo deploy(String appPrefix, Path temp, String logPrefix, DefinitionEdit edit,
                               String controllerImage, List<String> deployOptions) throws IOException {
        return new DeployedDemo(appPrefix, temp, logPrefix, edit, controllerImage, deployOptions);
    }

    Path contextFile() {
        return home.resolve(".ailtire").resolve(app + ".json");
    }

    /** The namespaces of the application's stacks, and of the root that deploy creates. */
    List<String> namespaces() {
        return List.of(app + "-root", app, app + "-backend", app + "-backend-db");
    }

    /**
     * The installed CLI's launcher, when the tests drive the application through it ({@code scripts/test} unpacks
     * the release tarball outside the checkout for the cluster tests); unset: the CLI runs in the test's JVM.
     */
    static final Optional<Path> INSTALLED_CLI = Optional.ofNullable(System.getenv("AILTIRE_IT_CLI"))
            .filter(path -> !path.isBlank()).map(Path::of);

    /** Runs the CLI as a user would, with this demo's home; prints what it printed. */
    Run cli(String... args) {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.remove("AILTIRE_URL");
        env.remove("AILTIRE_TOKEN");
        Run run = INSTALLED_CLI.isPresent() ? installedCli(INSTALLED_CLI.get(), env, args) : inProcessCli(env, args);
        System.out.println(logPrefix + " ailtire-swarm " + String.join(" ", args) + " -> " + run.code() + "\n"
                + run.output());
        return run;
    }

    /** The launcher as a process, from the directory the definitions' folder is in (outside the checkout). */
    private Run installedCli(Path launcher, Map<String, String> env, String... args) {
        List<String> command = new java.util.ArrayList<>(List.of(launcher.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(definitions.getParent().toFile())
                .redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        builder.environment().clear();
        builder.environment().putAll(env);
        builder.environment().put("HOME", home.toString());
        builder.environment().put("COLUMNS", "200");
        try {
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return new Run(process.waitFor(), output);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("running " + launcher, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + launcher, e);
        }
    }

    private Run inProcessCli(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
        CliEnvironment cli = new CliEnvironment(env, home, print, print, new BufferedReader(new StringReader("")),
                false, 200);
        int code = Main.commandLine(cli).execute(args);
        return new Run(code, out.toString(StandardCharsets.UTF_8));
    }

    /** A running container of the engine service, waiting a moment for one. */
    Container runningContainer(String service) {
        return await().atMost(Duration.ofSeconds(30)).until(() -> docker.listContainersCmd()
                .withLabelFilter(Map.of("com.docker.swarm.service.name", service)).exec().stream()
                .filter(c -> "running".equals(c.getState())).findFirst(), Optional::isPresent).orElseThrow();
    }

    /** Runs a command in the container; returns what it printed on stdout and stderr. */
    String execOutput(Container container, String... command) throws InterruptedException {
        return execOutput(container, List.of(), Duration.ofSeconds(20), command);
    }

    /**
     * Runs a command in the container with {@code environment} ({@code KEY=VALUE}: secrets go there, never into the
     * command line); returns what it printed on stdout and stderr within {@code wait}.
     */
    String execOutput(Container container, List<String> environment, Duration wait, String... command)
            throws InterruptedException {
        String id = docker.execCreateCmd(container.getId()).withCmd(command).withEnv(environment)
                .withAttachStdout(true).withAttachStderr(true).exec().getId();
        StringBuilder output = new StringBuilder();
        docker.execStartCmd(id).exec(new ResultCallback.Adapter<Frame>() {
            @Override
            public void onNext(Frame frame) {
                output.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
            }
        }).awaitCompletion(wait.toMillis(), TimeUnit.MILLISECONDS);
        return output.toString();
    }

    /**
     * The HTTP status {@code from} gets for {@code GET path} on {@code host:port} (a name on a network they share, or
     * loopback), with the token of the stack at {@code stackPath} below the top ({@code ""}: the top's, {@code
     * backend/db}: db's), derived from the top's; 0 when nothing answered.
     */
    int statusFrom(Container from, String host, int port, String path, String stackPath) throws InterruptedException {
        return answerFrom(from, host, port, "GET", path, StackToken.of(token).descendant(stackPath).value());
    }

    /**
     * The HTTP status {@code from} gets for {@code method path} (a POST with an empty JSON body) on {@code host:port},
     * with {@code bearer} as the token; 0 when nothing answered.
     */
    int answerFrom(Container from, String host, int port, String method, String path, String bearer)
            throws InterruptedException {
        String body = method.equals("POST")
                ? "Content-Type: application/json\\r\\nContent-Length: 2\\r\\n\\r\\n{}" : "\\r\\n";
        String answer = execOutput(from, List.of("BEARER=" + bearer), Duration.ofSeconds(20), "bash", "-c",
                "exec 3<>/dev/tcp/" + host + "/" + port + " && printf '" + method + " " + path + " HTTP/1.0\\r\\nHost: "
                        + host + "\\r\\nAuthorization: Bearer %s\\r\\n" + body + "' \"$BEARER\" >&3"
                        + " && timeout 5 head -1 <&3");
        var status = java.util.regex.Pattern.compile("^HTTP/1\\.[01] (\\d{3})").matcher(answer);
        return status.find() ? Integer.parseInt(status.group(1)) : 0;
    }

    /** Runs a command in the container; returns its exit code (-1 when unknown). */
    long exec(Container container, String... command) throws InterruptedException {
        String id = docker.execCreateCmd(container.getId()).withCmd(command).withAttachStdout(true)
                .withAttachStderr(true).exec().getId();
        docker.execStartCmd(id).exec(new ResultCallback.Adapter<Frame>()).awaitCompletion(20, TimeUnit.SECONDS);
        Long code = docker.inspectExecCmd(id).exec().getExitCodeLong();
        return code == null ? -1 : code;
    }

    /** Runs {@code action} with the top's status events watched; returns how long until {@code condition} held. */
    Duration timeUntil(Runnable action, Predicate<Status> condition) throws Exception {
        AtomicReference<Instant> seenAt = new AtomicReference<>();
        try (EventSubscription<Status> events = client.statusEvents()) {
            Thread watcher = Thread.ofVirtual().start(() -> {
                try {
                    Status status;
                    while ((status = events.next()) != null) {
                        if (condition.test(status)) {
                            seenAt.set(Instant.now());
                            return;
                        }
                    }
                } catch (Exception ignored) {
                    // the subscription closes when the measurement ends
                }
            });
            Thread.sleep(500); // the first event is the current tree
            Instant started = Instant.now();
            action.run();
            watcher.join(Duration.ofSeconds(60));
            assertThat(seenAt.get()).as("the condition was seen at the top within 60 s").isNotNull();
            return Duration.between(started, seenAt.get());
        }
    }

    /** Every stack and service of the demo is there and running, once. */
    static boolean whole(Status top) {
        return top.aggregate() == Aggregate.HEALTHY && top.state() == Status.State.RUNNING
                && state(top, "web").equals(Optional.of(Status.State.RUNNING))
                && state(top, "backend").equals(Optional.of(Status.State.RUNNING))
                && state(top, "backend", "api").equals(Optional.of(Status.State.RUNNING))
                && state(top, "backend", "db").equals(Optional.of(Status.State.RUNNING))
                && state(top, "backend", "db", "store").equals(Optional.of(Status.State.RUNNING))
                && state(top, "backend", "db", "postgres").equals(Optional.of(Status.State.RUNNING));
    }

    static void assertNothingDuplicated(Status top) {
        assertNothingDuplicated(top, new String[0]);
    }

    /** @param ownExtras services a test added to the top's definition, beside web and backend */
    static void assertNothingDuplicated(Status top, String... ownExtras) {
        List<String> own = new ArrayList<>(List.of("web", "backend"));
        own.addAll(List.of(ownExtras));
        assertThat(top.children()).extracting(Status::name).containsExactlyInAnyOrderElementsOf(own);
        Status backend = find(top, "backend").orElseThrow();
        assertThat(backend.children()).extracting(Status::name).containsExactlyInAnyOrder("api", "db");
        assertThat(find(backend, "db").orElseThrow().children()).extracting(Status::name)
                .containsExactlyInAnyOrder("store", "postgres");
    }

    static Optional<Status.State> state(Status top, String... path) {
        Optional<Status> at = Optional.of(top);
        for (String name : path) {
            at = at.flatMap(s -> find(s, name));
        }
        return at.map(Status::state);
    }

    /** Service name -> version index, over every namespace of the app. */
    Map<String, String> versions() {
        Map<String, String> versions = new TreeMap<>();
        for (String namespace : namespaces()) {
            docker.listServicesCmd().withLabelFilter(Map.of(Labels.NAMESPACE, namespace)).exec()
                    .forEach(s -> versions.put(s.getSpec().getName(), s.getId() + "@" + s.getVersion().getIndex()));
        }
        return versions;
    }

    /** Service name -> the ids of its tasks meant to run. */
    Map<String, String> tasks(String... namespaces) {
        Map<String, String> tasks = new TreeMap<>();
        for (String namespace : namespaces) {
            for (Service s : docker.listServicesCmd().withLabelFilter(Map.of(Labels.NAMESPACE, namespace)).exec()) {
                List<String> ids = docker.listTasksCmd().withServiceFilter(s.getId()).exec().stream()
                        .filter(t -> t.getDesiredState() == TaskState.RUNNING).map(Task::getId).sorted().toList();
                tasks.put(s.getSpec().getName(), String.join(",", ids));
            }
        }
        return tasks;
    }

    static Optional<Status> find(Status parent, String name) {
        return parent.children().stream().filter(c -> c.name().equals(name)).findFirst();
    }

    @Override
    public void close() {
        try {
            if (Files.exists(contextFile())) { // still deployed: a test failed before its shutdown
                cli("shutdown", "--app", app, "--yes");
            }
        } catch (RuntimeException e) {
            System.err.println(logPrefix + " shutdown in cleanup failed: " + e);
        }
        for (String namespace : namespaces()) {
            try (TestSwarm swarm = TestSwarm.of(namespace)) {
                swarm.removeAll();
            }
        }
        try {
            docker.close();
        } catch (IOException ignored) {
            // closing the HTTP client
        }
    }
}
