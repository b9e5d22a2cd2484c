package org.ailtire.dataplane;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * TLS on the gateway port: only the top controller's gateway does it (children sit behind their parent on overlay
 * networks and speak plain HTTP).
 *
 * @param pemFile      the certificate chain and its private key, PEM, in one file HAProxy reads
 * @param redirectPort a plain HTTP port that answers every request with a redirect to https (0: none)
 * @param publicPort   the port clients reach the https gateway at (the published host port), for the redirect's
 *                     Location; 443 is left out of it
 * @param hsts         the Strict-Transport-Security header on every HTTPS answer, when asked for
 */
public record GatewayTls(Path pemFile, int redirectPort, int publicPort, Optional<Hsts> hsts) {
    public GatewayTls {
        Objects.requireNonNull(pemFile, "pemFile");
        Objects.requireNonNull(hsts, "hsts");
        if (redirectPort < 0 || redirectPort > 65535) {
            throw new IllegalArgumentException("redirectPort: expected 0-65535, got " + redirectPort);
        }
        if (publicPort < 1 || publicPort > 65535) {
            throw new IllegalArgumentException("publicPort: expected 1-65535, got " + publicPort);
        }
    }

    /** Without HSTS. */
    public GatewayTls(Path pemFile, int redirectPort, int publicPort) {
        this(pemFile, redirectPort, publicPort, Optional.empty());
    }

    public boolean redirects() {
        return redirectPort != 0;
    }
}
