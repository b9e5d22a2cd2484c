package org.ailtire.cli;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * Which controller the CLI talks to, and with which token.
 *
 * @param app the application whose context file describes this controller, when known (deploy writes
 *            {@code ~/.ailtire/<app>.json}; shutdown deletes it)
 */
public record ControllerContext(Optional<String> app, URI url, String token) {
    public ControllerContext {
        Objects.requireNonNull(app, "app");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(token, "token");
    }

    public static ControllerContext of(String app, URI url, String token) {
        return new ControllerContext(Optional.of(app), url, token);
    }

    public ControlPlaneClient client() {
        return new ControlPlaneClient(url, token);
    }

    @Override
    public String toString() {
        return "ControllerContext[app=" + app.orElse("-") + ", url=" + url + ", token=***]";
    }
}
