package org.ailtire.stack;

/** Thrown when an update is asked for while another one still runs: updates of one stack never overlap. */
public class UpdateInProgressException extends RuntimeException {
    public UpdateInProgressException(String runningId) {
        super("update " + runningId + " is still running");
    }
}
