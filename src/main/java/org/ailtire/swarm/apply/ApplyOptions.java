package org.ailtire.swarm.apply;

import java.time.Duration;

/**
 * How an apply waits.
 *
 * @param convergenceTimeout how long created and updated services may take to run all their tasks
 * @param stabilityWindow    how long converged services must stay converged before the apply counts as done
 *                           (catches commands that start and die a moment later, like the docker CLI's verify)
 * @param failedTasksLimit   failed or rejected tasks of one service during the apply that mean it will not converge
 * @param removalTimeout     how long removal may wait for the engine to let go of tasks and networks
 */
public record ApplyOptions(Duration convergenceTimeout, Duration stabilityWindow, int failedTasksLimit,
                           Duration removalTimeout) {
    public static final ApplyOptions DEFAULT =
            new ApplyOptions(Duration.ofMinutes(3), Duration.ofSeconds(5), 3, Duration.ofMinutes(2));

    public ApplyOptions {
        if (failedTasksLimit < 1) {
            throw new IllegalArgumentException("failedTasksLimit must be at least 1");
        }
    }

    public ApplyOptions withConvergenceTimeout(Duration timeout) {
        return new ApplyOptions(timeout, stabilityWindow, failedTasksLimit, removalTimeout);
    }

    public ApplyOptions withStabilityWindow(Duration window) {
        return new ApplyOptions(convergenceTimeout, window, failedTasksLimit, removalTimeout);
    }
}
