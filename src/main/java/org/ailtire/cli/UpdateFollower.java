package org.ailtire.cli;

import org.ailtire.protocol.UpdateFeed;
import org.ailtire.protocol.ControllerUnreachableException;
import org.ailtire.protocol.EventSubscription;
import org.ailtire.protocol.ControlPlaneClient;
import org.ailtire.stack.Update;
import org.ailtire.stack.UpdateEvent;

import java.io.IOException;

/** Prints an update's progress as it happens and tells how it ended (for update and rollback). */
final class UpdateFollower {
    private final CliEnvironment env;

    UpdateFollower(CliEnvironment env) {
        this.env = env;
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
