package org.ailtire.cli;

import org.ailtire.protocol.ControlPlaneClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code redeploy [SERVICE...]}: tags resolved to digests again and tasks replaced, followed like any update. */
@Command(name = "redeploy", mixinStandardHelpOptions = true,
        description = {"Redeploy services of the stack (all its own services when none is named): each tag is "
                + "resolved to its digest again and the tasks are replaced even when the digest did not move (a "
                + "reused tag pulled again, like `docker service update --force`). Kept in the history; `rollback` "
                + "returns to the digests an earlier version ran. A child stack's services: --stack PATH.",
                "Exits 0 when the stack converged, 1 when the update failed or was refused."})
public final class RedeployCommand extends ClientCommand implements Callable<Integer> {
    @Parameters(paramLabel = "SERVICE", arity = "0..*", description = "The services to redeploy; none: all.")
    List<String> services = new ArrayList<>();

    public RedeployCommand(CliEnvironment env) {
        super(env);
    }

    @Override
    public Integer call() throws Exception {
        ControlPlaneClient client = context().client();
        return new UpdateFollower(env).startAndFollow(client, "redeploy",
                "redeploy " + (services.isEmpty() ? "of every service" : String.join(", ", services)),
                () -> client.redeploy(services));
    }
}
