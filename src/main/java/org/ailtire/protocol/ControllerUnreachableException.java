package org.ailtire.protocol;

import java.io.IOException;
import java.net.URI;

/** The controller could not be reached at all (no HTTP answer): the CLI exits with 3. */
public final class ControllerUnreachableException extends IOException {
    private final URI url;

    public ControllerUnreachableException(URI url, String reason, Throwable cause) {
        super("cannot reach the controller at " + url + ": " + reason
                + "; is the application deployed? (ailtire-swarm deploy)", cause);
        this.url = url;
    }

    public URI url() {
        return url;
    }
}
