package org.ailtire.cli;

import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.util.List;

/** {@code ailtire-swarm}: deploy, watch, update and shut down ailtire applications on Docker Swarm. */
@Command(name = "ailtire-swarm", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Runs ailtire stacks on Docker Swarm and talks to their controllers.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:ok", "1:the operation failed", "2:usage error", "3:cannot reach the controller"})
public final class Main implements Runnable {
    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int USAGE = 2;
    public static final int UNREACHABLE = 3;

    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine(CliEnvironment.system()).execute(args));
    }

    /** The command line with every subcommand registered, reading and writing through {@code env}. */
    public static CommandLine commandLine(CliEnvironment env) {
        CommandLine commandLine = new CommandLine(new Main());
        subcommands(env).forEach(commandLine::addSubcommand);
        Charset charset = env.out().charset();
        commandLine.setOut(new PrintWriter(new java.io.OutputStreamWriter(env.out(), charset), true));
        commandLine.setErr(new PrintWriter(new java.io.OutputStreamWriter(env.err(), env.err().charset()), true));
        commandLine.setExecutionExceptionHandler(new FailureHandler(env));
        return commandLine;
    }

    /** The one place subcommands are registered (each is a picocli {@code @Command} object). */
    static List<Object> subcommands(CliEnvironment env) {
        return List.of(
                new StatusCommand(env),
                new LogsCommand(env),
                new UpdateCommand(env),
                new HistoryCommand(env),
                new RollbackCommand(env),
                new ScaleCommand(env),
                new RedeployCommand(env),
                new WebhookCommand(env),
                new TlsCommand(env),
                new EventsCommand(env),
                new ShutdownCommand(env),
                new DeployCommand(env),
                new ServeCommand(env),
                new CdsTrainingCommand(),
                // Prints a bash/zsh completion script for every command and option (picocli's own command).
                new AutoComplete.GenerateCompletion());
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing a command");
    }
}
