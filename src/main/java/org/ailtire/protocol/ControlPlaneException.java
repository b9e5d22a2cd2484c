package org.ailtire.protocol;

import java.util.List;

/** The controller answered with an error status; {@code details} are the problems it listed, one per line. */
public final class ControlPlaneException extends java.io.IOException {
    private final int status;
    private final String error;
    private final List<String> details;

    public ControlPlaneException(int status, String error, List<String> details) {
        super(status == 401 ? "token rejected: " + error : error + " (HTTP " + status + ")");
        this.status = status;
        this.error = error;
        this.details = List.copyOf(details);
    }

    public int status() {
        return status;
    }

    /** The server's own error text. */
    public String error() {
        return error;
    }

    public List<String> details() {
        return details;
    }
}
