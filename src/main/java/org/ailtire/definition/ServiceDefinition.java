package org.ailtire.definition;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One service of a stack definition. Optional scalars are null when the file does not set them; collections are
 * empty, never null.
 *
 * @param name            the service's key in {@code services}
 * @param command         {@code command}, split like a shell would when given as a string; null when absent
 * @param entrypoint      {@code entrypoint}, split the same way; null when absent
 * @param environment     {@code env_file} contents overridden by {@code environment}, in order; a variable listed
 *                        without a value takes its value from the load environment or is left out
 * @param labels          container labels ({@code labels})
 * @param ports           published ports
 * @param networks        networks the service joins, by top-level network name; a service with no
 *                        {@code networks} key gets {@code default}
 * @param volumes         mounts
 * @param configs         config references
 * @param secrets         secret references
 * @param stopGracePeriod {@code stop_grace_period}
 * @param extraHosts      {@code extra_hosts} as {@code host:ip} strings
 * @param extensions      {@code x-} fields of the service
 */
public record ServiceDefinition(
        String name,
        String image,
        List<String> command,
        List<String> entrypoint,
        Map<String, String> environment,
        Map<String, String> labels,
        Deploy deploy,
        List<Port> ports,
        Map<String, ServiceNetwork> networks,
        List<VolumeMount> volumes,
        List<FileReference> configs,
        List<FileReference> secrets,
        Healthcheck healthcheck,
        Duration stopGracePeriod,
        String stopSignal,
        String user,
        String workingDir,
        String hostname,
        List<String> extraHosts,
        Map<String, Object> extensions) {

    public ServiceDefinition {
        command = command == null ? null : List.copyOf(command);
        entrypoint = entrypoint == null ? null : List.copyOf(entrypoint);
        environment = Ordered.map(environment);
        labels = Ordered.map(labels);
        deploy = deploy == null ? Deploy.DEFAULT : deploy;
        ports = Ordered.list(ports);
        networks = Ordered.map(networks);
        volumes = Ordered.list(volumes);
        configs = Ordered.list(configs);
        secrets = Ordered.list(secrets);
        extraHosts = Ordered.list(extraHosts);
        extensions = Ordered.map(extensions);
    }

    /** The same service running another image (e.g. the same reference pinned to a digest). */
    public ServiceDefinition withImage(String newImage) {
        return new ServiceDefinition(name, newImage, command, entrypoint, environment, labels, deploy, ports, networks,
                volumes, configs, secrets, healthcheck, stopGracePeriod, stopSignal, user, workingDir, hostname,
                extraHosts, extensions);
    }

    /** {@code deploy:}; null fields are unset and take the engine's defaults. */
    public record Deploy(
            Mode mode,
            Integer replicas,
            Resources resources,
            RestartPolicy restartPolicy,
            Placement placement,
            UpdateConfig updateConfig,
            UpdateConfig rollbackConfig,
            EndpointMode endpointMode,
            Map<String, String> labels) {

        public static final Deploy DEFAULT = new Deploy(null, null, null, null, null, null, null, null, Map.of());

        public Deploy {
            labels = Ordered.map(labels);
        }
    }

    public enum Mode { REPLICATED, GLOBAL }

    public enum EndpointMode { VIP, DNSRR }

    /** {@code deploy.resources}: limits and reservations. */
    public record Resources(ResourceAmount limits, ResourceAmount reservations) {
    }

    /** @param nanoCpus CPUs times 10^9 ({@code cpus: "0.5"} is 500_000_000); null when unset */
    public record ResourceAmount(Long nanoCpus, Long memoryBytes, Long pids) {
    }

    public record RestartPolicy(Condition condition, Duration delay, Integer maxAttempts, Duration window) {
        public enum Condition { NONE, ON_FAILURE, ANY }
    }

    /** @param preferences spread descriptors, e.g. {@code node.labels.zone} */
    public record Placement(List<String> constraints, List<String> preferences, Integer maxReplicasPerNode) {
        public Placement {
            constraints = Ordered.list(constraints);
            preferences = Ordered.list(preferences);
        }
    }

    /** {@code deploy.update_config} and {@code deploy.rollback_config}. */
    public record UpdateConfig(Integer parallelism, Duration delay, FailureAction failureAction, Duration monitor,
                               Double maxFailureRatio, Order order) {
        public enum FailureAction { CONTINUE, ROLLBACK, PAUSE }

        public enum Order { STOP_FIRST, START_FIRST }
    }

    /** A published port; swarm here publishes in {@code host} mode (no routing mesh without IPVS). */
    public record Port(int target, Integer published, Protocol protocol, PublishMode mode) {
        public enum Protocol { TCP, UDP, SCTP }

        public enum PublishMode { INGRESS, HOST }
    }

    /** A service's attachment to a network; aliases are extra DNS names on it. */
    public record ServiceNetwork(List<String> aliases) {
        public static final ServiceNetwork PLAIN = new ServiceNetwork(List.of());

        public ServiceNetwork {
            aliases = Ordered.list(aliases);
        }
    }

    /**
     * A mount: {@code type} volume (source is a top-level volume name, or null for an anonymous volume), bind
     * (source is a host path) or tmpfs (no source).
     */
    public record VolumeMount(Type type, String source, String target, boolean readOnly) {
        public enum Type { VOLUME, BIND, TMPFS }
    }

    /**
     * A config or secret reference. {@code target} defaults (configs: {@code /<source>}, secrets:
     * {@code /run/secrets/<source>}) are left to the converter; null here means not set.
     *
     * @param mode file mode, e.g. {@code 0444} parsed as octal; null when unset
     */
    public record FileReference(String source, String target, String uid, String gid, Integer mode) {
    }

    /** @param test {@code ["CMD", ...]}, {@code ["CMD-SHELL", "..."]} or {@code ["NONE"]}; a string is CMD-SHELL */
    public record Healthcheck(List<String> test, Duration interval, Duration timeout, Integer retries,
                              Duration startPeriod, boolean disable) {
        public Healthcheck {
            test = Ordered.list(test);
        }
    }
}
