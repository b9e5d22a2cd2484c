package org.ailtire.cli;

import org.ailtire.protocol.ControllerUnreachableException;
import org.ailtire.protocol.EventSubscription;
import org.ailtire.protocol.ControlPlaneClient;
import org.ailtire.stack.Json;
import org.ailtire.stack.Status;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code status}: the application's tree of stacks and services. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show the status tree of the application: stacks, services, states, last log lines.")
public final class StatusCommand extends ClientCommand implements Callable<Integer> {
    private static final String CLEAR_SCREEN = "\u001b[H\u001b[2J";

    @Option(names = "--json", description = "Same as --output json (one document per line with --watch).")
    boolean json;

    @Mixin
    OutputOption output = new OutputOption();

    @Option(names = {"-w", "--watch"},
            description = "Keep following and print the tree again on every change, until the stack stopped.")
    boolean watch;

    public StatusCommand(CliEnvironment env) {
        super(env);
    }

    @Override
    public Integer call() throws Exception {
        ControlPlaneClient client = context().client();
        boolean json = this.json || output.json();
        if (!watch) {
            if (json) {
                env.out().println(client.statusJson().strip());
            } else {
                tree().render(client.status()).forEach(env.out()::println);
            }
            return Main.OK;
        }
        return json ? watchJson(client) : watchTree(client);
    }

    private int watchTree(ControlPlaneClient client) throws IOException, InterruptedException {
        StatusTree tree = tree();
        Status last = null;
        List<String> shown = List.of();
        try (EventSubscription<Status> events = client.statusEvents()) {
            Status status;
            while ((status = events.next()) != null) {
                last = status;
                List<String> lines = tree.render(status);
                if (lines.equals(shown)) {
                    continue;
                }
                if (env.terminal()) {
                    env.out().print(CLEAR_SCREEN);
                } else if (!shown.isEmpty()) {
                    env.out().println();
                }
                lines.forEach(env.out()::println);
                env.out().flush();
                shown = lines;
                if (status.state() == Status.State.STOPPED) {
                    return Main.OK;
                }
            }
        } catch (ControllerUnreachableException e) {
            throw e;
        } catch (IOException broken) {
            return streamEnded(client, last);
        }
        return streamEnded(client, last);
    }

    private int watchJson(ControlPlaneClient client) throws IOException, InterruptedException {
        Status last = null;
        try (EventSubscription<String> events = client.statusEventsJson()) {
            String document;
            while ((document = events.next()) != null) {
                env.out().println(document);
                env.out().flush();
                last = Json.MAPPER.readValue(document, Status.class);
                if (last.state() == Status.State.STOPPED) {
                    return Main.OK;
                }
            }
        } catch (ControllerUnreachableException e) {
            throw e;
        } catch (IOException broken) {
            return streamEnded(client, last);
        }
        return streamEnded(client, last);
    }

    /** A stopped stack's controller going away is the expected end; anything else lost the controller. */
    private int streamEnded(ControlPlaneClient client, Status last) {
        if (last != null && last.state() == Status.State.STOPPED) {
            return Main.OK;
        }
        env.err().println("lost the controller at " + client.base() + ": the status stream ended");
        return Main.UNREACHABLE;
    }

    private StatusTree tree() {
        return new StatusTree(env.colour(), env.width(), env.out().charset().newEncoder().canEncode('├'));
    }
}
