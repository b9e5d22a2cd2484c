package org.ailtire.cli;

import io.vertx.core.Vertx;
import org.ailtire.api.AdminServer;
import org.ailtire.api.ServerSettings;
import org.ailtire.stack.FakeStack;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** A real control-plane server on a random loopback port over a {@link FakeStack}, and a way to run the CLI. */
final class CliHarness implements AutoCloseable {
    static final String TOKEN = "cli-test-token";

    /** One run of the CLI: exit code and what it printed. */
    static final class Run {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        volatile int exitCode = -1;

        String out() {
            return out.toString(StandardCharsets.UTF_8);
        }

        String err() {
            return err.toString(StandardCharsets.UTF_8);
        }
    }

    final Vertx vertx = Vertx.vertx();
    final FakeStack stack;
    final AdminServer server;
    final URI url;
    final Path home;
    final Map<String, String> environment = new HashMap<>();
    String stdin = "";
    boolean terminal;

    CliHarness(Path home) {
        this.home = home;
        stack = FakeStack.simple("top");
        server = new AdminServer(vertx, stack,
                new ServerSettings("127.0.0.1", 0, TOKEN, ServerSettings.ONE_MIB, 4, Duration.ofMillis(200)));
        url = URI.create("http://127.0.0.1:" + server.start().join());
        // Commands that reach the engine (shutdown removes the top controller) must never find a real one.
        environment.put("DOCKER_HOST", "unix://" + home.resolve("no-engine.sock"));
    }

    /** Runs {@code ailtire-swarm args...} to its end. */
    Run run(String... args) {
        Run run = new Run();
        run.exitCode = Main.commandLine(environment(run)).execute(args);
        return run;
    }

    /** Starts {@code ailtire-swarm args...} on a daemon thread; the exit code appears in the run when done. */
    Run start(String... args) {
        Run run = new Run();
        Thread thread = new Thread(() -> run.exitCode = Main.commandLine(environment(run)).execute(args), "cli");
        thread.setDaemon(true);
        thread.start();
        return run;
    }

    /** The same command with {@code --url} and {@code --token} of this server in front of the rest. */
    String[] targeted(String command, String... rest) {
        String[] args = new String[rest.length + 5];
        args[0] = command;
        args[1] = "--url";
        args[2] = url.toString();
        args[3] = "--token";
        args[4] = TOKEN;
        System.arraycopy(rest, 0, args, 5, rest.length);
        return args;
    }

    private CliEnvironment environment(Run run) {
        return new CliEnvironment(Map.copyOf(environment), home,
                new PrintStream(run.out, true, StandardCharsets.UTF_8),
                new PrintStream(run.err, true, StandardCharsets.UTF_8),
                new BufferedReader(new StringReader(stdin)), terminal, 0);
    }

    @Override
    public void close() {
        server.close();
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }
}
