package org.ailtire.cli;

import org.ailtire.protocol.UpdateFeed;
import org.ailtire.protocol.ControllerUnreachableException;
import org.ailtire.protocol.EventSubscription;
import org.ailtire.protocol.ControlPlaneClient;
import org.ailtire.protocol.ControlPlaneException;
import org.ailtire.protocol.UpdateStarted;
import org.ailtire.stack.Update;
import org.ailtire.stack.UpdateEvent;

import java.io.IOException;

/** Prints an update's progress as it happens and tells how it ended (for update, rollback, scale and redeploy). */
final class UpdateFollower {
    private final CliEnvironment env;

    UpdateFollower(CliEnvironment env) {
        this.env = env;
    }

    /** What asks the controller for an update. */
    @FunctionalInterface
    interface Start {
        UpdateStarted start() throws IOException, InterruptedException;
    }

    /**
     * Asks for an update and follows it: a refusal (400, 409) is printed as {@code <action> refused: <error>} with
     * each problem under it; a started one as {@code <what>: update <id> started}.
     *
     * @return {@link Main#OK} when the update converged, {@link Main#FAILED} when refused or not converged
     */
    int startAndFollow(ControlPlaneClient client, String action, String what, Start start)
            throws IOException, InterruptedException {
        UpdateStarted started;
        try {
            started = start.start();
        } catch (ControlPlaneException e) {
            if (e.status() == 400 || e.status() == 409) {
                env.err().println(action + " refused: " + TerminalText.clean(e.error()));
                e.details().forEach(d -> env.err().println("  " + TerminalText.clean(d)));
                return Main.FAILED;
            }
            throw e;
        }
        env.out().println(what + ": update " + started.id() + " started");
        return follow(client, started.id());
    }

    /** @return {@link Main#OK} when the update converged, {@link Main#FAILED} otherwise */
    int follow(ControlPlaneClient client, String id) throws IOException, InterruptedException {
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
        env.err().println("update " + id + " failed: "
                + (view.error() == null ? "no reason given" : TerminalText.clean(view.error())));
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
        env.out().println(TerminalText.clean(line.toString()));
        env.out().flush();
    }
}
