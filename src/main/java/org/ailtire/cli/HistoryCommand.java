package org.ailtire.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.ailtire.protocol.ControlPlaneClient;
import org.ailtire.stack.DefinitionVersion;
import org.ailtire.stack.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.Map;
import java.util.concurrent.Callable;

/** {@code history}: the definition versions the stack kept; one version's text, or its diff. */
@Command(name = "history", mixinStandardHelpOptions = true,
        description = {"List the definition versions the stack kept (who applied each, when, and how it ended),",
                "or show one version's text, or with --diff how it differs from another version."})
public final class HistoryCommand extends ClientCommand implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", paramLabel = "VERSION", description = "The version to show.")
    Integer version;

    @Option(names = "--diff", description = "Show the diff to VERSION instead of its text.")
    boolean diff;

    @Option(names = "--against", paramLabel = "VERSION",
            description = "The version the diff starts from (default: the version applied now).")
    Integer against;

    @Mixin
    OutputOption output = new OutputOption();

    public HistoryCommand(CliEnvironment env) {
        super(env);
    }

    @Override
    public Integer call() throws Exception {
        if (version == null && (diff || against != null)) {
            env.err().println("--diff and --against need a VERSION");
            return Main.USAGE;
        }
        ControlPlaneClient client = context().client();
        if (version == null) {
            JsonNode history = client.history();
            if (output.json()) {
                env.out().println(Json.MAPPER.writeValueAsString(history));
                return Main.OK;
            }
            int current = history.path("current").asInt();
            if (history.path("versions").isEmpty()) {
                env.out().println("no definition kept yet");
            }
            for (JsonNode v : history.path("versions")) {
                int number = v.path("version").asInt();
                String message = v.path("message").asText("");
                env.out().print(TerminalText.clean(String.format("%s v%-4d %s  %-7s  %s%s", number == current ? "*" : " ",
                        number, v.path("at").asText(), v.path("outcome").asText(), v.path("actor").asText(),
                        message.isEmpty() ? "" : "  (" + message + ")")) + System.lineSeparator());
            }
            return Main.OK;
        }
        if (diff) {
            String text = client.diff(version, against);
            if (output.json()) {
                env.out().println(Json.MAPPER.writeValueAsString(Map.of("diff", text)));
                return Main.OK;
            }
            env.out().print(text.isEmpty() ? "no difference\n" : TerminalText.clean(text));
            return Main.OK;
        }
        DefinitionVersion shown = client.version(version);
        if (output.json()) {
            env.out().println(Json.MAPPER.writeValueAsString(shown));
            return Main.OK;
        }
        String definition = TerminalText.clean(shown.definition());
        env.out().print(definition.endsWith("\n") ? definition : definition + "\n");
        return Main.OK;
    }
}
