package org.ailtire.cli;

import org.ailtire.protocol.ControlPlaneException;
import org.ailtire.protocol.EventSubscription;
import org.ailtire.protocol.ControlPlaneClient;
import org.ailtire.stack.Status;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code shutdown}: stops the whole application, child stacks first, and forgets its context. */
@Command(name = "shutdown", mixinStandardHelpOptions = true,
        description = {"Shut the application down (child stacks first) and wait until it stopped.",
                "Asks first on a terminal unless --yes. Removes the application's context file when done."})
public final class ShutdownCommand extends ClientCommand implements Callable<Integer> {
    @Option(names = {"-y", "--yes"}, description = "Do not ask for confirmation.")
    boolean yes;

    public ShutdownCommand(CliEnvironment env) {
        super(env);
    }

    @Override
    public Integer call() throws Exception {
        ControllerContext context = context();
        String what = context.app().map(app -> "application " + app + " (" + context.url() + ")")
                .orElse("the application at " + context.url());
        if (env.terminal() && !yes && !confirmed(what)) {
            env.err().println("not shut down");
            return Main.FAILED;
        }
        ControlPlaneClient client = context.client();
        client.shutdown();
        env.out().println("shutting down " + what);
        Status.State end = waitUntilStopped(client);
        if (end == Status.State.FAILED) {
            return Main.FAILED;
        }
        env.out().println("stopped");
        if (context.app().isPresent()) {
            removeRoot(context.app().get());
        }
        if (context.app().isPresent() && env.contexts().delete(context.app().get())) {
            env.out().println("removed " + env.contexts().file(context.app().get()));
        }
        return Main.OK;
    }

    /** The top controller, its networks and the token live in the root, which only the deploying side removes. */
    private void removeRoot(String app) {
        try (var docker = org.ailtire.swarm.DockerClients.connect(env.env())) {
            var left = new org.ailtire.controller.Deployer(docker, org.ailtire.swarm.apply.ApplyOptions.DEFAULT)
                    .remove(app, event -> { });
            if (!left.isEmpty()) {
                env.out().println("removed what unreachable stacks left: " + String.join(", ", left));
            }
            env.out().println("removed the top controller of " + app);
        } catch (Exception e) {
            env.err().println("could not remove the top controller of " + app + " from the local engine: " + e.getMessage());
        }
    }

    private boolean confirmed(String what) throws IOException {
        env.out().print("Shut down " + what + " with all its stacks and services? [y/N] ");
        env.out().flush();
        String answer = env.in().readLine();
        return answer != null && (answer.strip().toLowerCase(Locale.ROOT).equals("y")
                || answer.strip().toLowerCase(Locale.ROOT).equals("yes"));
    }

    /** Prints each change of the top stack's state; the controller going away after the request counts as done. */
    private Status.State waitUntilStopped(ControlPlaneClient client) throws IOException, InterruptedException {
        String shown = "";
        try (EventSubscription<Status> events = client.statusEvents()) {
            Status status;
            while ((status = events.next()) != null) {
                String line = "  " + status.state()
                        + (status.message().isEmpty() ? "" : ": " + TerminalText.clean(status.message()));
                if (!line.equals(shown)) {
                    env.out().println(line);
                    env.out().flush();
                    shown = line;
                }
                if (status.state() == Status.State.STOPPED) {
                    return Status.State.STOPPED;
                }
                if (status.state() == Status.State.FAILED) {
                    env.err().println("shutdown failed: " + TerminalText.clean(status.message()));
                    return Status.State.FAILED;
                }
            }
        } catch (ControlPlaneException answered) {
            throw answered;
        } catch (IOException gone) {
            // Connection refused or dropped after the request: the controller is gone, which is the goal.
        }
        return Status.State.STOPPED;
    }
}
