package org.ailtire.swarm.topology;

import java.util.Objects;
import java.util.Optional;

/**
 * TLS at the top gateway, as the deploy command hands it to the top controller: the PEM (certificate chain and key)
 * as a secret of the root, and where clients reach the gateway.
 *
 * @param pem        the certificate chain and its private key, already checked
 * @param publicPort the host port clients reach https at (the top's published gateway port)
 * @param redirect   whether the top controller also serves {@link ControllerSettings#DEFAULT_REDIRECT_PORT}, plain
 *                   HTTP answering every request with a redirect to https
 * @param hstsMaxAge the Strict-Transport-Security max-age the top gateway's HTTPS answers carry (empty: none)
 * @param hstsIncludeSubDomains whether that header covers the host's subdomains too
 * @param mountedSecret the name of the certificate secret the top controller mounts now, kept in its place
 *                   instead of a new one made of {@code pem} (then {@code pem} reaches it through its API, without a
 *                   restart); empty: the secret is {@code pem}
 */
public record TopTls(byte[] pem, int publicPort, boolean redirect, Optional<Long> hstsMaxAge,
                     boolean hstsIncludeSubDomains, Optional<String> mountedSecret) {
    public TopTls {
        Objects.requireNonNull(pem, "pem");
        Objects.requireNonNull(hstsMaxAge, "hstsMaxAge");
        Objects.requireNonNull(mountedSecret, "mountedSecret");
        if (hstsIncludeSubDomains && hstsMaxAge.isEmpty()) {
            throw new IllegalArgumentException("hstsIncludeSubDomains: needs hstsMaxAge");
        }
    }

    /** Without HSTS, the secret made of {@code pem}. */
    public TopTls(byte[] pem, int publicPort, boolean redirect) {
        this(pem, publicPort, redirect, Optional.empty(), false, Optional.empty());
    }
}
