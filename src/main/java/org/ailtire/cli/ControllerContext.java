package org.ailtire.cli;

import org.ailtire.protocol.ControlPlaneClient;
import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * Which controller the CLI talks to, and with which token.
 *
 * @param app            the application whose context file describes this controller, when known (deploy writes
 *                       {@code ~/.ailtire/<app>.json}; shutdown deletes it)
 * @param url            the controller's admin URL: its control plane (and console, under {@code /_ailtire/})
 * @param applicationUrl where the application answers (the top gateway), when deploy recorded it
 */
public record ControllerContext(Optional<String> app, URI url, String token, Optional<URI> applicationUrl) {
    public ControllerContext {
        Objects.requireNonNull(app, "app");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(applicationUrl, "applicationUrl");
    }

    public ControllerContext(Optional<String> app, URI url, String token) {
        this(app, url, token, Optional.empty());
    }

    public static ControllerContext of(String app, URI url, String token) {
        return new ControllerContext(Optional.of(app), url, token);
    }

    /** What deploy records: the admin URL the CLI talks to, and the application's URL. */
    public static ControllerContext deployed(String app, URI adminUrl, URI applicationUrl, String token) {
        return new ControllerContext(Optional.of(app), adminUrl, token, Optional.of(applicationUrl));
    }

    public ControlPlaneClient client() {
        return new ControlPlaneClient(url, token);
    }

    @Override
    public String toString() {
        return "ControllerContext[app=" + app.orElse("-") + ", url=" + url
                + applicationUrl.map(u -> ", applicationUrl=" + u).orElse("") + ", token=***]";
    }
}
