package org.ailtire.tls;

import java.io.IOException;
import java.time.Instant;
import java.util.Optional;

/**
 * The certificate the top gateway serves, and its replacement without a restart ({@code PUT /api/v1/tls}). A
 * controller whose gateway speaks plain HTTP (every child, and a top deployed without {@code --tls-cert}) has
 * {@link #NONE}.
 */
public interface GatewayCertificate {
    /** No TLS on this gateway: nothing is served, nothing can be replaced. */
    GatewayCertificate NONE = new GatewayCertificate() {
        @Override
        public Optional<Served> served() {
            return Optional.empty();
        }

        @Override
        public Served replace(String certificates, String key, String actor) {
            throw new NoTls();
        }
    };

    /**
     * What is served, without the PEM.
     *
     * @param origin {@code deploy} (the certificate given at deploy) or {@code replaced} (given since, through the API)
     * @param since  when it was given ({@code null} for the deploy's: the deploy's time is not kept)
     * @param actor  who gave it ({@code ""} for the deploy's)
     */
    record Served(String subject, Instant notAfter, String fingerprint, String origin, Instant since, String actor) {
    }

    /** This gateway speaks plain HTTP. */
    final class NoTls extends IllegalStateException {
        public NoTls() {
            super("this stack's gateway serves plain HTTP: only the top controller of an application deployed with"
                    + " --tls-cert and --tls-key serves TLS");
        }
    }

    Optional<Served> served();

    /**
     * Checks the chain and key (as {@link TlsCertificate} does), keeps them for restarts and serves them from now on;
     * connections open meanwhile are not dropped.
     *
     * @throws IllegalArgumentException what is wrong with the certificate or the key (nothing changed)
     * @throws NoTls                    when this gateway serves no TLS
     * @throws IOException              when the engine or HAProxy failed (the previous certificate still serves)
     */
    Served replace(String certificates, String key, String actor) throws IOException;
}
