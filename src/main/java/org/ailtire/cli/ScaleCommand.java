package org.ailtire.cli;

import org.ailtire.protocol.ControlPlaneClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

/** {@code scale SERVICE=REPLICAS}: an update of one service's replicas, followed like any update. */
@Command(name = "scale", mixinStandardHelpOptions = true,
        description = {"Scale one of the stack's own services, like `docker service scale`, and follow the update. "
                + "It is kept in the history (see `history`, `rollback`); the next `update` with a definition starts "
                + "from that definition's replicas again. A child stack's service: --stack PATH.",
                "Exits 0 when the stack converged, 1 when the update failed or was refused."})
public final class ScaleCommand extends ClientCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "SERVICE=REPLICAS", description = "e.g. web=3")
    String assignment;

    public ScaleCommand(CliEnvironment env) {
        super(env);
    }

    @Override
    public Integer call() throws Exception {
        int equals = assignment.indexOf('=');
        String service = equals < 0 ? "" : assignment.substring(0, equals);
        Integer replicas = equals < 0 ? null : replicas(assignment.substring(equals + 1));
        if (service.isEmpty() || replicas == null) {
            env.err().println("SERVICE=REPLICAS: expected a service and a number of replicas, e.g. web=3, got \""
                    + TerminalText.clean(assignment) + "\"");
            return Main.USAGE;
        }
        ControlPlaneClient client = context().client();
        return new UpdateFollower(env).startAndFollow(client, "scale", "scale " + service + " to " + replicas,
                () -> client.scale(service, replicas));
    }

    private static Integer replicas(String text) {
        if (!text.matches("[0-9]{1,9}")) {
            return null;
        }
        return Integer.parseInt(text);
    }
}
