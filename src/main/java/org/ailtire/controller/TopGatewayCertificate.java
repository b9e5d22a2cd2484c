package org.ailtire.controller;

import com.github.dockerjava.api.exception.DockerException;
import org.ailtire.dataplane.GatewayDataPlane;
import org.ailtire.swarm.tls.GatewayCertificates;
import org.ailtire.tls.GatewayCertificate;
import org.ailtire.tls.TlsCertificate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The top gateway's certificate: the deploy's (the secret {@link GatewayTlsFile} copied), or the latest one given
 * since through the API, which is kept on the engine ({@link GatewayCertificates}) so that a restarted controller
 * serves it again. A replacement is served first and kept second; if it cannot be kept, the previous one is served
 * again, so what serves and what a restart would serve never differ.
 */
final class TopGatewayCertificate implements GatewayCertificate {
    private static final Logger LOG = LoggerFactory.getLogger(TopGatewayCertificate.class);

    private final GatewayDataPlane gateway;
    private final GatewayCertificates kept;
    private final String base;
    // Guarded by this.
    private byte[] pem;
    private Served served;

    private TopGatewayCertificate(GatewayDataPlane gateway, GatewayCertificates kept, String base, byte[] pem,
                                  Served served) {
        this.gateway = gateway;
        this.kept = kept;
        this.base = base;
        this.pem = pem;
        this.served = served;
    }

    /**
     * Before HAProxy starts: puts the latest replacement kept over the deploy's certificate (in {@code pemFile})
     * in its place, when there is one. An engine that does not answer leaves the deploy's.
     */
    static TopGatewayCertificate open(Path pemFile, GatewayDataPlane gateway, GatewayCertificates kept) {
        byte[] deployed;
        try {
            deployed = Files.readAllBytes(pemFile);
        } catch (IOException e) {
            throw new UncheckedIOException("the gateway's certificate " + pemFile + " cannot be read", e);
        }
        String base = TlsCertificate.fingerprint(deployed);
        TlsCertificate described = TlsCertificate.described(deployed);
        Served fromDeploy = new Served(described.subject(), described.notAfter(), base, "deploy", null, "");
        Optional<GatewayCertificates.Opened> latest;
        try {
            latest = kept.latestOver(base);
        } catch (DockerException | IllegalStateException e) {
            LOG.warn("the certificates given since the deploy were not read, the deploy's is served: {}",
                    e.getMessage());
            latest = Optional.empty();
        }
        if (latest.isEmpty()) {
            return new TopGatewayCertificate(gateway, kept, base, deployed, fromDeploy);
        }
        GatewayCertificates.Replacement replacement = latest.get().replacement();
        try {
            Files.write(pemFile, latest.get().pem());
        } catch (IOException e) {
            throw new UncheckedIOException("the gateway's certificate " + pemFile + " cannot be written", e);
        }
        LOG.info("serving the certificate for {} given on {} by {} (not the deploy's)", replacement.subject(),
                replacement.at(), replacement.actor());
        return new TopGatewayCertificate(gateway, kept, base, latest.get().pem(), served(replacement));
    }

    @Override
    public synchronized Optional<Served> served() {
        return Optional.of(served);
    }

    @Override
    public synchronized Served replace(String certificates, String key, String actor) throws IOException {
        TlsCertificate certificate = TlsCertificate.parse(certificates, key, "certificate", "key");
        byte[] previous = pem;
        gateway.replaceCertificate(certificate.pem());
        GatewayCertificates.Replacement replacement;
        try {
            replacement = kept.keep(certificate, base, actor);
        } catch (DockerException | IllegalStateException e) {
            gateway.replaceCertificate(previous);
            throw new IOException("the engine did not keep the new certificate, the previous one serves again: "
                    + e.getMessage(), e);
        }
        pem = certificate.pem();
        served = served(replacement);
        LOG.info("the gateway serves the certificate for {} (until {}), given by {}", replacement.subject(),
                replacement.notAfter(), actor);
        return served;
    }

    private static Served served(GatewayCertificates.Replacement replacement) {
        return new Served(replacement.subject(), replacement.notAfter(), replacement.fingerprint(), "replaced",
                replacement.at(), replacement.actor());
    }
}
