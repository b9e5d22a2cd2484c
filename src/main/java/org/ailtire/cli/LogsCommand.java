package org.ailtire.cli;

import org.ailtire.protocol.LogSelection;
import org.ailtire.protocol.LogFeed;
import org.ailtire.protocol.ControllerUnreachableException;
import org.ailtire.protocol.EventSubscription;
import org.ailtire.protocol.ControlPlaneClient;
import org.ailtire.stack.LogLine;
import org.ailtire.stack.LogRequest;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Callable;

/** {@code logs}: the stdout and stderr lines of the stack's services. */
@Command(name = "logs", mixinStandardHelpOptions = true,
        description = {"Print the logs of the stack's services as `service | line`.",
                "Lines a service wrote to stderr go to stderr, marked `service ! line`."})
public final class LogsCommand extends ClientCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "0..1", paramLabel = "SERVICE_PATH",
            description = "One service (all when omitted); services of child stacks (a/b) are not "
                    + "addressable through the controller yet.")
    String servicePath;

    @Option(names = {"-n", "--tail"}, paramLabel = "N",
            description = "Lines per service from the past (0 to " + LogRequest.MAX_TAIL + "; controller default 100).")
    Integer tail;

    @Option(names = "--since", paramLabel = "DURATION|TIMESTAMP",
            description = "Only lines since then: 10m, 1h30m, 2d, 2026-01-31T12:00:00Z, 2026-01-31 or epoch seconds.")
    String since;

    @Option(names = {"-f", "--follow"}, description = "Keep printing new lines until interrupted.")
    boolean follow;

    @Option(names = "--stdout", description = "Only what the services wrote to stdout.")
    boolean stdoutOnly;

    @Option(names = "--stderr", description = "Only what the services wrote to stderr.")
    boolean stderrOnly;

    @Option(names = {"-t", "--timestamps"}, description = "Show when each line was written.")
    boolean timestamps;

    private int serviceWidth;

    public LogsCommand(CliEnvironment env) {
        super(env);
    }

    @Override
    public Integer call() throws Exception {
        LogSelection selection = selection();
        ControlPlaneClient client = context().client();
        if (!follow) {
            client.logs(selection, this::print);
            return Main.OK;
        }
        return follow(client, selection);
    }

    private int follow(ControlPlaneClient client, LogSelection selection) throws IOException, InterruptedException {
        try (EventSubscription<LogFeed> feed = client.followLogs(selection)) {
            LogFeed item;
            while ((item = feed.next()) != null) {
                if (item instanceof LogFeed.Line line) {
                    print(line.line());
                } else if (item instanceof LogFeed.End end) {
                    if (end.error().isEmpty()) {
                        return Main.OK;
                    }
                    env.err().println("the logs ended: " + TerminalText.clean(end.error()));
                    return Main.FAILED;
                }
            }
        } catch (ControllerUnreachableException e) {
            throw e;
        } catch (IOException broken) {
            env.err().println("lost the controller at " + client.base() + ": " + broken.getMessage());
            return Main.UNREACHABLE;
        }
        env.err().println("lost the controller at " + client.base() + ": the log stream ended");
        return Main.UNREACHABLE;
    }

    private LogSelection selection() {
        if (tail != null && (tail < 0 || tail > LogRequest.MAX_TAIL)) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--tail: expected 0 to " + LogRequest.MAX_TAIL + ", got " + tail);
        }
        Optional<Instant> from = Optional.empty();
        if (since != null) {
            try {
                from = Optional.of(Since.parse(since, Clock.systemUTC()));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--since: " + e.getMessage());
            }
        }
        LogRequest.Streams streams = stdoutOnly == stderrOnly ? LogRequest.Streams.BOTH
                : stdoutOnly ? LogRequest.Streams.STDOUT : LogRequest.Streams.STDERR;
        return new LogSelection(Optional.ofNullable(servicePath), tail == null ? OptionalInt.empty()
                : OptionalInt.of(tail), from, streams);
    }

    private void print(LogLine line) {
        serviceWidth = Math.max(serviceWidth, line.service().length());
        boolean stderr = line.stream() == LogLine.Stream.STDERR;
        PrintStream to = stderr ? env.err() : env.out();
        String when = timestamps ? (line.at() == null ? "-" : line.at().toString()) + " " : "";
        to.println(when + TerminalText.clean(line.service()) + " ".repeat(serviceWidth - line.service().length())
                + (stderr ? " ! " : " | ") + TerminalText.clean(line.text()));
        to.flush();
    }
}
