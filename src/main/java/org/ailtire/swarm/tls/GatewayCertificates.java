package org.ailtire.swarm.tls;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import org.ailtire.swarm.EngineConfigs;
import org.ailtire.swarm.Labels;
import org.ailtire.swarm.Seal;
import org.ailtire.tls.TlsCertificate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The certificates that replaced the top gateway's deploy-time one without a restart, kept on the engine so that a
 * restarted controller serves the latest again: one swarm config each ({@code <namespace>_tls-<fingerprint>}), the
 * PEM sealed (its private key is in it), labelled with the stack's namespace (removing the stack removes them) and no
 * key label (updates never prune them).
 *
 * <p>Each names the certificate it was given over, the deploy's ({@value #BASE}): a {@code deploy} with another
 * certificate mounts another secret, and the replacements made over the old one no longer apply.
 */
public final class GatewayCertificates {
    private static final Logger LOG = LoggerFactory.getLogger(GatewayCertificates.class);
    static final String KIND = "gateway-certificate";
    static final String BASE = "org.ailtire.tls.base";
    static final String FINGERPRINT = "org.ailtire.tls.fingerprint";
    static final String SUBJECT = "org.ailtire.tls.subject";
    static final String NOT_AFTER = "org.ailtire.tls.not-after";
    static final String AT = "org.ailtire.tls.at";
    static final String ACTOR = "org.ailtire.tls.actor";
    private static final byte[] PURPOSE = "ailtire gateway certificate".getBytes(StandardCharsets.UTF_8);

    /** A certificate served in place of the deploy's, as its labels describe it (without the PEM). */
    public record Replacement(String name, String fingerprint, String subject, Instant notAfter, Instant at,
                              String actor) {
    }

    /** The PEM of the latest replacement, opened, with what describes it. */
    public record Opened(Replacement replacement, byte[] pem) {
    }

    private final DockerClient docker;
    private final String namespace;
    private final Seal seal;
    private final Clock clock;

    public GatewayCertificates(DockerClient docker, String namespace, String token, Clock clock) {
        this.docker = docker;
        this.namespace = namespace;
        this.seal = new Seal("ailtire gateway certificate", token, namespace);
        this.clock = clock;
    }

    /**
     * The latest replacement made over the deploy's certificate {@code base} (a fingerprint), opened. Replacements
     * made over another deploy certificate are removed: that certificate is gone.
     */
    public Optional<Opened> latestOver(String base) {
        Optional<Opened> latest = Optional.empty();
        List<EngineConfigs.EngineConfig> kept = stored();
        for (EngineConfigs.EngineConfig config : kept.reversed()) {
            if (!base.equals(config.labels().get(BASE))) {
                remove(config, "it replaced a certificate that a deploy replaced since");
                continue;
            }
            if (latest.isEmpty()) {
                try {
                    latest = Optional.of(new Opened(replacement(config), seal.open(config.data(), PURPOSE)));
                } catch (Seal.Broken | RuntimeException e) {
                    LOG.warn("gateway certificate {} cannot be read, skipped: {}", config.name(), e.getMessage());
                }
            }
        }
        return latest;
    }

    /** Keeps {@code certificate}, given over the deploy's {@code base}, and removes the ones it follows. */
    public Replacement keep(TlsCertificate certificate, String base, String actor) {
        String fingerprint = certificate.fingerprint();
        Instant at = clock.instant();
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(Labels.NAMESPACE, namespace);
        labels.put(Labels.MANAGED, "true");
        labels.put(Labels.KIND, KIND);
        labels.put(BASE, base);
        labels.put(FINGERPRINT, fingerprint);
        labels.put(SUBJECT, certificate.subject());
        labels.put(NOT_AFTER, certificate.notAfter().toString());
        labels.put(AT, at.toString());
        labels.put(ACTOR, actor == null ? "" : actor);
        String name = namespace + "_tls-" + fingerprint.substring(0, 16) + "-" + at.toEpochMilli();
        List<EngineConfigs.EngineConfig> before = stored();
        docker.createConfigCmd().withName(name).withData(seal.seal(certificate.pem(), PURPOSE)).withLabels(labels)
                .exec();
        for (EngineConfigs.EngineConfig old : before) {
            remove(old, "a newer certificate replaced it");
        }
        return new Replacement(name, fingerprint, certificate.subject(), certificate.notAfter(), at, labels.get(ACTOR));
    }

    /** Oldest first. */
    private List<EngineConfigs.EngineConfig> stored() {
        return EngineConfigs.withLabels(docker, List.of(Labels.NAMESPACE + "=" + namespace, Labels.KIND + "=" + KIND))
                .stream().sorted(Comparator.comparing((EngineConfigs.EngineConfig c) -> c.labels().getOrDefault(AT, ""))
                        .thenComparing(EngineConfigs.EngineConfig::name))
                .toList();
    }

    private static Replacement replacement(EngineConfigs.EngineConfig config) {
        Map<String, String> labels = config.labels();
        return new Replacement(config.name(), labels.get(FINGERPRINT), labels.getOrDefault(SUBJECT, ""),
                Instant.parse(labels.get(NOT_AFTER)), Instant.parse(labels.get(AT)), labels.getOrDefault(ACTOR, ""));
    }

    private void remove(EngineConfigs.EngineConfig config, String why) {
        try {
            docker.removeConfigCmd(config.id()).exec();
            LOG.info("gateway certificate {} removed: {}", config.name(), why);
        } catch (NotFoundException gone) {
            // removed meanwhile
        } catch (DockerException e) {
            LOG.warn("gateway certificate {} not removed ({}): {}", config.name(), why, e.getMessage());
        }
    }
}
