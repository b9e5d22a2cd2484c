package org.ailtire.cli;

import org.ailtire.stack.Update;
import org.ailtire.stack.UpdateEvent;
import org.ailtire.stack.UpdateRequest;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code update}: hands the top stack a new definition and follows the update until it is done. */
@Command(name = "update", mixinStandardHelpOptions = true,
        description = {"Update the stack with a new definition, environment and parameters, and follow it.",
                "Exits 0 when the stack converged, 1 when the update failed or was rolled back."})
public final class UpdateCommand extends ClientCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = {"-f", "--file"}, required = true, paramLabel = "FILE",
            description = "The stack definition (Compose YAML).")
    Path file;

    @Option(names = {"-e", "--env"}, paramLabel = "KEY=VALUE",
            description = "An environment variable for the definition; KEY alone takes it from this shell.")
    List<String> environment = new ArrayList<>();

    @Option(names = "--env-file", paramLabel = "FILE", description = "Environment variables, KEY=VALUE per line.")
    List<Path> envFiles = new ArrayList<>();

    @Option(names = {"-p", "--param"}, paramLabel = "NAME=VALUE", description = "A parameter of the stack.")
    List<String> parameters = new ArrayList<>();

    public UpdateCommand(CliEnvironment env) {
        super(env);
    }

    @Override
    public Integer call() throws Exception {
        UpdateRequest request = request();
        ControlPlaneClient client = context().client();
        UpdateStarted started;
        try {
            started = client.update(request);
        } catch (ControlPlaneException e) {
            if (e.status() == 400 || e.status() == 409) {
                env.err().println("update refused: " + e.error());
                e.details().forEach(d -> env.err().println("  " + d));
                return Main.FAILED;
            }
            throw e;
        }
        env.out().println("update " + started.id() + " started");
        return follow(client, started.id());
    }

    private int follow(ControlPlaneClient client, String id) throws IOException, InterruptedException {
        Update.State outcome = null;
        try (EventSubscription<UpdateFeed> feed = client.updateEvents(id)) {
            UpdateFeed item;
            while (outcome == null && (item = feed.next()) != null) {
                if (item instanceof UpdateFeed.Progress progress) {
                    print(progress.event());
                } else if (item instanceof UpdateFeed.End end) {
                    outcome = end.state();
                }
            }
        } catch (ControllerUnreachableException e) {
            throw e;
        } catch (IOException broken) {
            env.err().println("the update's event stream broke (" + broken.getMessage() + "); asking for its state");
        }
        Update.View view = client.updateView(id);
        if (outcome == null && view.state() == Update.State.RUNNING) {
            env.err().println("update " + id + " is still running, but its event stream ended; follow it with "
                    + "`ailtire-swarm status --watch`");
            return Main.FAILED;
        }
        if (view.state() == Update.State.SUCCEEDED) {
            env.out().println("update " + id + " converged");
            return Main.OK;
        }
        env.err().println("update " + id + " failed: " + (view.error() == null ? "no reason given" : view.error()));
        return Main.FAILED;
    }

    private void print(UpdateEvent event) {
        StringBuilder line = new StringBuilder("  ").append(event.phase());
        if (!event.subject().isEmpty()) {
            line.append(' ').append(event.subject());
        }
        if (!event.message().isEmpty()) {
            line.append(": ").append(event.message());
        }
        env.out().println(line);
        env.out().flush();
    }

    private UpdateRequest request() throws IOException {
        String definition;
        try {
            // Child stacks named by file (x-ailtire: {stack: backend.yml}) travel inline.
            definition = org.ailtire.definition.DefinitionBundler.bundle(file);
        } catch (org.ailtire.definition.DefinitionException e) {
            throw new IOException("cannot read the definition " + file + ": " + e.getMessage(), e);
        }
        Map<String, String> variables = new LinkedHashMap<>();
        for (Path envFile : envFiles) {
            variables.putAll(EnvFile.read(envFile));
        }
        try {
            variables.putAll(Assignments.parse(environment, env.env()));
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        for (String parameter : parameters) {
            if (parameter.indexOf('=') <= 0) {
                throw usage("-p " + parameter + ": expected NAME=VALUE");
            }
        }
        return new UpdateRequest(parameters, variables, definition);
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
