package org.ailtire.swarm.topology;

import java.util.Objects;

/**
 * TLS at the top gateway, as the deploy command hands it to the top controller: the PEM (certificate chain and key)
 * as a secret of the root, and where clients reach the gateway.
 *
 * @param pem        the certificate chain and its private key, already checked
 * @param publicPort the host port clients reach https at (the top's published gateway port)
 * @param redirect   whether the top controller also serves {@link ControllerSettings#DEFAULT_REDIRECT_PORT}, plain
 *                   HTTP answering every request with a redirect to https
 */
public record TopTls(byte[] pem, int publicPort, boolean redirect) {
    public TopTls {
        Objects.requireNonNull(pem, "pem");
    }
}
