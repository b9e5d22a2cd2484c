package org.ailtire.cli;

import org.ailtire.protocol.UpdateStarted;
import org.ailtire.protocol.ControlPlaneException;
import org.ailtire.protocol.ControlPlaneClient;
import org.ailtire.definition.DefinitionBundler;
import org.ailtire.definition.DefinitionException;
import org.ailtire.stack.RegistryAuth;
import org.ailtire.stack.UpdatePreview;
import org.ailtire.stack.UpdateRequest;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
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

    @Option(names = "--preview", description = {"Show what the update would change (a diff against the definition "
            + "applied now, and which services would be created, updated, left alone or removed); apply nothing."})
    boolean preview;

    @CommandLine.Mixin
    RegistryAuthOptions registryAuth = new RegistryAuthOptions();

    public UpdateCommand(CliEnvironment env) {
        super(env);
    }

    @Override
    public Integer call() throws Exception {
        UpdateRequest request = request();
        ControlPlaneClient client = context().client();
        UpdateStarted started;
        try {
            if (preview) {
                print(client.preview(request));
                return Main.OK;
            }
            started = client.update(request);
        } catch (ControlPlaneException e) {
            if (e.status() == 400 || e.status() == 409) {
                env.err().println("update refused: " + TerminalText.clean(e.error()));
                e.details().forEach(d -> env.err().println("  " + TerminalText.clean(d)));
                return Main.FAILED;
            }
            throw e;
        }
        env.out().println("update " + started.id() + " started");
        return new UpdateFollower(env).follow(client, started.id());
    }

    private void print(UpdatePreview preview) {
        String base = preview.baseVersion() == 0 ? "nothing applied yet" : "version " + preview.baseVersion();
        if (preview.diff().isEmpty()) {
            env.out().println("the definition is the same as " + base);
        } else {
            env.out().print(TerminalText.clean(preview.diff()));
        }
        UpdatePreview.ServiceChanges services = preview.services();
        env.out().println("services: create " + services.create() + ", update " + services.update() + ", unchanged "
                + services.unchanged() + ", remove " + services.remove());
        env.out().println("nothing was applied (preview)");
    }

    private UpdateRequest request() throws IOException {
        DefinitionBundler.Bundle bundle;
        try {
            // Child stacks named by file (x-ailtire: {stack: backend.yml}) travel inline, and the files every level
            // names (configs, secrets, env_file) with them.
            bundle = DefinitionBundler.bundleWithFiles(file);
        } catch (DefinitionException e) {
            throw new IOException("cannot read the definition " + file + ": " + e.getMessage(), e);
        }
        String definition = bundle.definition();
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
        RegistryAuth auth;
        try {
            auth = registryAuth.collect(definition, bundle.files(), variables, parameters, env, List.of());
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        return new UpdateRequest(parameters, variables, definition, auth, registryAuth.resolveImage(), bundle.files());
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
