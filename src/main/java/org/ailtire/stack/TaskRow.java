package org.ailtire.stack;

import java.util.Objects;

/**
 * One task of one of the stack's own services, as {@code docker stack ps} lists it (the original sidecar's status
 * has an entry per task).
 *
 * @param id           the task's id
 * @param service      the service's key in the stack ({@code web})
 * @param slot         the replica slot, or the node id for a global service's task (the engine's task name suffix)
 * @param image        the image the task runs
 * @param node         the host name of the node it is on, {@code ""} when not placed yet
 * @param state        the engine's task state in lower case ({@code running}, {@code preparing} ...)
 * @param desiredState what the orchestrator wants it to be, in lower case
 * @param error        why it failed or was rejected, {@code ""} otherwise
 */
public record TaskRow(String id, String service, String slot, String image, String node, String state,
                      String desiredState, String error) {
    public TaskRow {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(slot, "slot");
        image = image == null ? "" : image;
        node = node == null ? "" : node;
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(desiredState, "desiredState");
        error = error == null ? "" : error;
    }
}
