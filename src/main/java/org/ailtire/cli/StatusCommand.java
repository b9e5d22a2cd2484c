package org.ailtire.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import org.ailtire.protocol.ControllerUnreachableException;
import org.ailtire.protocol.EventSubscription;
import org.ailtire.protocol.ControlPlaneClient;
import org.ailtire.stack.Json;
import org.ailtire.stack.Status;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;

/** {@code status}: the application's tree of stacks and services, or (with {@code --nodes}) its tasks by node. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show the status tree of the application: stacks, services, states, last log lines; "
                + "or, with --nodes, the swarm's nodes and the tasks of the tree on each.")
public final class StatusCommand extends ClientCommand implements Callable<Integer> {
    private static final String CLEAR_SCREEN = "\u001b[H\u001b[2J";

    @Option(names = "--json", description = "Same as --output json (one document per line with --watch).")
    boolean json;

    @Mixin
    OutputOption output = new OutputOption();

    @Option(names = {"-w", "--watch"},
            description = "Keep following and print the tree again on every change, until the stack stopped.")
    boolean watch;

    @Option(names = "--nodes", description = "Show the nodes instead of the tree: each node (role, state, "
            + "availability), then the tasks of the tree's services on it (backend/db/store ×2).")
    boolean nodes;

    public StatusCommand(CliEnvironment env) {
        super(env);
    }

    @Override
    public Integer call() throws Exception {
        ControlPlaneClient client = context().client();
        boolean json = this.json || output.json();
        if (!watch) {
            if (json && !nodes) {
                env.out().println(client.statusJson().strip());
            } else {
                render(json).apply(client.status()).forEach(env.out()::println);
            }
            return Main.OK;
        }
        return json && !nodes ? watchJson(client) : watchRendered(client, render(json), !json);
    }

    /** What is printed of a status: the tree, or the nodes as a table or as one JSON document. */
    private Function<Status, List<String>> render(boolean json) {
        if (!nodes) {
            return tree()::render;
        }
        if (json) {
            return status -> List.of(nodesJson(NodesView.of(status)));
        }
        NodesTable table = new NodesTable(env.colour(), env.out().charset().newEncoder().canEncode('×'));
        return status -> table.render(NodesView.of(status));
    }

    private static String nodesJson(NodesView view) {
        try {
            return Json.MAPPER.writeValueAsString(view);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Prints what each status event renders to, when it changed: on a terminal over the previous one ({@code redraw}),
     * else after it (separated by a blank line when {@code redraw}; JSON documents go one a line).
     */
    private int watchRendered(ControlPlaneClient client, Function<Status, List<String>> render, boolean redraw)
            throws IOException, InterruptedException {
        Status last = null;
        List<String> shown = List.of();
        try (EventSubscription<Status> events = client.statusEvents()) {
            Status status;
            while ((status = events.next()) != null) {
                last = status;
                List<String> lines = render.apply(status);
                if (!lines.equals(shown)) {
                    if (redraw && env.terminal()) {
                        env.out().print(CLEAR_SCREEN);
                    } else if (redraw && !shown.isEmpty()) {
                        env.out().println();
                    }
                    lines.forEach(env.out()::println);
                    env.out().flush();
                    shown = lines;
                }
                // The nodes view does not show the stack's state: a stop may render the same lines.
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
