package org.ailtire.stack;

import java.util.Objects;

/**
 * How many tasks one of the stack's own services should run and how many run now (as {@code docker service ls}
 * shows {@code 2/3}).
 *
 * @param service the service's key in the stack ({@code web})
 * @param desired the replicas of a replicated service; for a global one, the tasks the orchestrator wants running
 * @param running the tasks running now that are meant to run
 */
public record ServiceTasks(String service, long desired, long running) {
    public ServiceTasks {
        Objects.requireNonNull(service, "service");
    }
}
