package org.ailtire.swarm.webhook;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import org.ailtire.swarm.EngineConfigs;
import org.ailtire.swarm.Labels;
import org.ailtire.swarm.Seal;
import org.ailtire.webhook.WebhookSecrets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A stack's webhook secret on the engine, so a restarted controller accepts the same deliveries: one swarm config
 * ({@code <namespace>_webhook-<millis>}), the secret sealed, labelled with the stack's namespace (removing the stack
 * removes it) and no key label (updates never prune it). A new secret is kept before the old one goes.
 */
public final class ConfigWebhookSecrets implements WebhookSecrets {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigWebhookSecrets.class);
    static final String KIND = "webhook-secret";
    static final String AT = "org.ailtire.webhook.at";
    private static final byte[] PURPOSE = "ailtire webhook secret".getBytes(StandardCharsets.UTF_8);

    private final DockerClient docker;
    private final String namespace;
    private final Seal seal;

    public ConfigWebhookSecrets(DockerClient docker, String namespace, String token) {
        this.docker = docker;
        this.namespace = namespace;
        this.seal = new Seal("ailtire webhook secret", token, namespace);
    }

    @Override
    public Optional<Stored> load() {
        for (EngineConfigs.EngineConfig config : stored().reversed()) {
            try {
                return Optional.of(new Stored(new String(seal.open(config.data(), PURPOSE), StandardCharsets.UTF_8),
                        Instant.parse(config.labels().get(AT))));
            } catch (Seal.Broken | RuntimeException e) {
                LOG.warn("webhook secret {} cannot be read, skipped: {}", config.name(), e.getMessage());
            }
        }
        return Optional.empty();
    }

    @Override
    public void save(Stored secret) {
        List<EngineConfigs.EngineConfig> before = stored();
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(Labels.NAMESPACE, namespace);
        labels.put(Labels.MANAGED, "true");
        labels.put(Labels.KIND, KIND);
        labels.put(AT, secret.createdAt().toString());
        docker.createConfigCmd().withName(namespace + "_webhook-" + secret.createdAt().toEpochMilli())
                .withData(seal.seal(secret.secret().getBytes(StandardCharsets.UTF_8), PURPOSE)).withLabels(labels)
                .exec();
        before.forEach(this::remove);
    }

    /** @throws DockerException when the engine did not remove it: the webhook would be on again after a restart */
    @Override
    public void delete() {
        for (EngineConfigs.EngineConfig config : stored()) {
            try {
                docker.removeConfigCmd(config.id()).exec();
            } catch (NotFoundException gone) {
                // removed meanwhile
            }
        }
    }

    /** Oldest first. */
    private List<EngineConfigs.EngineConfig> stored() {
        return EngineConfigs.withLabels(docker, List.of(Labels.NAMESPACE + "=" + namespace, Labels.KIND + "=" + KIND))
                .stream().sorted(Comparator.comparing((EngineConfigs.EngineConfig c) -> c.labels().getOrDefault(AT, ""))
                        .thenComparing(EngineConfigs.EngineConfig::name))
                .toList();
    }

    private void remove(EngineConfigs.EngineConfig config) {
        try {
            docker.removeConfigCmd(config.id()).exec();
        } catch (NotFoundException gone) {
            // removed meanwhile
        } catch (DockerException e) {
            LOG.warn("webhook secret {} not removed: {}", config.name(), e.getMessage());
        }
    }
}
