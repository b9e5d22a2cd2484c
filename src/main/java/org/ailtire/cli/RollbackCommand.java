package org.ailtire.cli;

import org.ailtire.protocol.UpdateStarted;
import org.ailtire.protocol.ControlPlaneException;
import org.ailtire.protocol.ControlPlaneClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

/** {@code rollback}: applies a kept definition version again and follows that update. */
@Command(name = "rollback", mixinStandardHelpOptions = true,
        description = {"Apply a kept definition version again, with the environment and parameters it was applied "
                + "with, and follow the update (see `history`).",
                "Exits 0 when the stack converged, 1 when the update failed or was rolled back."})
public final class RollbackCommand extends ClientCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "VERSION", description = "The version to apply again.")
    int version;

    public RollbackCommand(CliEnvironment env) {
        super(env);
    }

    @Override
    public Integer call() throws Exception {
        if (version < 1) {
            env.err().println("VERSION: expected a version number (1 or more), got " + version);
            return Main.USAGE;
        }
        ControlPlaneClient client = context().client();
        UpdateStarted started;
        try {
            started = client.rollback(version);
        } catch (ControlPlaneException e) {
            if (e.status() == 404 || e.status() == 409) {
                env.err().println("rollback refused: " + TerminalText.clean(e.error()));
                return Main.FAILED;
            }
            throw e;
        }
        env.out().println("rollback to version " + version + ": update " + started.id() + " started");
        return new UpdateFollower(env).follow(client, started.id());
    }
}
