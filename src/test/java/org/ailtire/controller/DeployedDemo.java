package org.ailtire.controller;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Frame;
import org.ailtire.cli.CliEnvironment;
import org.ailtire.cli.ControlPlaneClient;
import org.ailtire.cli.Main;
import org.ailtire.stack.Status;
import org.ailtire.swarm.DockerClients;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The demo application (examples/shop: shop, then backend, then db) deployed through the CLI in this JVM for an
 * integration test, with the CLI's home in a temporary folder. {@link #close()} shuts it down if a test did not and
 * removes whatever is left in its namespaces, even after a failure.
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
    /** The top controller's port on loopback (control plane and gateway). */
    final int port;
    final String token;
    private final String logPrefix;

    /** Changes the copied definitions (the folder holding stack.yml, backend.yml and db.yml) before the deploy. */
    @FunctionalInterface
    interface DefinitionEdit {
        void edit(Path definitions) throws IOException;
    }

    private DeployedDemo(String appPrefix, Path temp, String logPrefix, DefinitionEdit edit) throws IOException {
        this.app = appPrefix + "-" + UUID.randomUUID().toString().substring(0, 4);
        this.home = temp.resolve("home");
        this.definitions = temp.resolve("shop");
        this.logPrefix = logPrefix;
        Files.createDirectories(definitions);
        for (String file : List.of("stack.yml", "backend.yml", "db.yml")) {
            Files.copy(Path.of("examples/shop", file), definitions.resolve(file));
        }
        edit.edit(definitions);
        try (ServerSocket free = new ServerSocket(0)) {
            this.port = free.getLocalPort();
        }
        long started = System.nanoTime();
        this.deployment = cli("deploy", "-f", definitions.resolve("stack.yml").toString(), "--app", app,
                "--port", Integer.toString(port), "--timeout", "PT180S", "--image", CONTROLLER_IMAGE);
        this.deployTook = Duration.ofNanos(System.nanoTime() - started);
        // A failed deploy is the test's to assert (see requireDeployed); this object must exist to clean up.
        boolean deployed = deployment.code() == 0 && Files.exists(contextFile());
        this.token = deployed ? new com.fasterxml.jackson.databind.ObjectMapper().readTree(contextFile().toFile())
                .get("token").asText() : null;
        this.client = deployed ? new ControlPlaneClient(URI.create("http://127.0.0.1:" + port), token) : null;
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
        });
    }

    /** As {@link #deploy(String, Path, String)}, with the demo's definitions changed by {@code edit} first. */
    static DeployedDemo deploy(String appPrefix, Path temp, String logPrefix, DefinitionEdit edit) throws IOException {
        return new DeployedDemo(appPrefix, temp, logPrefix, edit);
    }

    Path contextFile() {
        return home.resolve(".ailtire").resolve(app + ".json");
    }

    /** The namespaces of the application's stacks, and of the root that deploy creates. */
    List<String> namespaces() {
        return List.of(app + "-root", app, app + "-backend", app + "-backend-db");
    }

    /** Runs the CLI as a user would, with this demo's home; prints what it printed. */
    Run cli(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Map<String, String> env = new HashMap<>(System.getenv());
        env.remove("AILTIRE_URL");
        env.remove("AILTIRE_TOKEN");
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
        CliEnvironment cli = new CliEnvironment(env, home, print, print, new BufferedReader(new StringReader("")),
                false, 200);
        int code = Main.commandLine(cli).execute(args);
        String output = out.toString(StandardCharsets.UTF_8);
        System.out.println(logPrefix + " ailtire-swarm " + String.join(" ", args) + " -> " + code + "\n" + output);
        return new Run(code, output);
    }

    /** A running container of the engine service, waiting a moment for one. */
    Container runningContainer(String service) {
        return await().atMost(Duration.ofSeconds(30)).until(() -> docker.listContainersCmd()
                .withLabelFilter(Map.of("com.docker.swarm.service.name", service)).exec().stream()
                .filter(c -> "running".equals(c.getState())).findFirst(), Optional::isPresent).orElseThrow();
    }

    /** Runs a command in the container; returns what it printed on stdout and stderr. */
    String execOutput(Container container, String... command) throws InterruptedException {
        String id = docker.execCreateCmd(container.getId()).withCmd(command).withAttachStdout(true)
                .withAttachStderr(true).exec().getId();
        StringBuilder output = new StringBuilder();
        docker.execStartCmd(id).exec(new ResultCallback.Adapter<Frame>() {
            @Override
            public void onNext(Frame frame) {
                output.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
            }
        }).awaitCompletion(20, TimeUnit.SECONDS);
        return output.toString();
    }

    /** Runs a command in the container; returns its exit code (-1 when unknown). */
    long exec(Container container, String... command) throws InterruptedException {
        String id = docker.execCreateCmd(container.getId()).withCmd(command).withAttachStdout(true)
                .withAttachStderr(true).exec().getId();
        docker.execStartCmd(id).exec(new ResultCallback.Adapter<Frame>()).awaitCompletion(20, TimeUnit.SECONDS);
        Long code = docker.inspectExecCmd(id).exec().getExitCodeLong();
        return code == null ? -1 : code;
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
