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
 * @param options         the container's kernel, terminal, DNS and logging settings
 * @param extensions      {@code x-} fields of the service other than {@code x-ailtire}
 * @param ailtire         {@code x-ailtire}, parsed: whether the service is a child stack, and its gateway routes
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
        ContainerOptions options,
        Map<String, Object> extensions,
        AiltireExtension ailtire) {

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
        options = options == null ? ContainerOptions.NONE : options;
        extensions = Ordered.map(extensions);
        ailtire = ailtire == null ? AiltireExtension.NONE : ailtire;
    }

    /** A service without {@code x-ailtire}. */
    public ServiceDefinition(String name, String image, List<String> command, List<String> entrypoint,
                             Map<String, String> environment, Map<String, String> labels, Deploy deploy,
                             List<Port> ports, Map<String, ServiceNetwork> networks, List<VolumeMount> volumes,
                             List<FileReference> configs, List<FileReference> secrets, Healthcheck healthcheck,
                             Duration stopGracePeriod, String stopSignal, String user, String workingDir,
                             String hostname, List<String> extraHosts, ContainerOptions options,
                             Map<String, Object> extensions) {
        this(name, image, command, entrypoint, environment, labels, deploy, ports, networks, volumes, configs, secrets,
                healthcheck, stopGracePeriod, stopSignal, user, workingDir, hostname, extraHosts, options, extensions,
                AiltireExtension.NONE);
    }

    /** A service without container options or {@code x-ailtire}. */
    public ServiceDefinition(String name, String image, List<String> command, List<String> entrypoint,
                             Map<String, String> environment, Map<String, String> labels, Deploy deploy,
                             List<Port> ports, Map<String, ServiceNetwork> networks, List<VolumeMount> volumes,
                             List<FileReference> configs, List<FileReference> secrets, Healthcheck healthcheck,
                             Duration stopGracePeriod, String stopSignal, String user, String workingDir,
                             String hostname, List<String> extraHosts, Map<String, Object> extensions) {
        this(name, image, command, entrypoint, environment, labels, deploy, ports, networks, volumes, configs, secrets,
                healthcheck, stopGracePeriod, stopSignal, user, workingDir, hostname, extraHosts, ContainerOptions.NONE,
                extensions);
    }

    /** The same service running another image (e.g. the same reference pinned to a digest). */
    public ServiceDefinition withImage(String newImage) {
        return new ServiceDefinition(name, newImage, command, entrypoint, environment, labels, deploy, ports, networks,
                volumes, configs, secrets, healthcheck, stopGracePeriod, stopSignal, user, workingDir, hostname,
                extraHosts, options, extensions, ailtire);
    }

    /** The same service with {@code deploy.replicas} set (a service the operator scaled). */
    public ServiceDefinition withReplicas(int count) {
        Deploy scaled = new Deploy(deploy.mode(), count, deploy.resources(), deploy.restartPolicy(), deploy.placement(),
                deploy.updateConfig(), deploy.rollbackConfig(), deploy.endpointMode(), deploy.labels());
        return new ServiceDefinition(name, image, command, entrypoint, environment, labels, scaled, ports, networks,
                volumes, configs, secrets, healthcheck, stopGracePeriod, stopSignal, user, workingDir, hostname,
                extraHosts, options, extensions, ailtire);
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

    /** Jobs run their tasks to completion: {@code replicas} of them (replicated-job) or one per node (global-job). */
    public enum Mode {
        REPLICATED, GLOBAL, REPLICATED_JOB, GLOBAL_JOB;

        public boolean isJob() {
            return this == REPLICATED_JOB || this == GLOBAL_JOB;
        }
    }

    public enum EndpointMode { VIP, DNSRR }

    /** {@code deploy.resources}: limits and reservations. */
    public record Resources(ResourceAmount limits, ResourceAmount reservations) {
    }

    /**
     * @param nanoCpus         CPUs times 10^9 ({@code cpus: "0.5"} is 500_000_000); null when unset
     * @param genericResources {@code generic_resources} (reservations only), e.g. {@code GPU=2}, in file order
     */
    public record ResourceAmount(Long nanoCpus, Long memoryBytes, Long pids, List<GenericResource> genericResources) {
        public ResourceAmount {
            genericResources = Ordered.list(genericResources);
        }

        public ResourceAmount(Long nanoCpus, Long memoryBytes, Long pids) {
            this(nanoCpus, memoryBytes, pids, List.of());
        }
    }

    /** {@code {discrete_resource_spec: {kind: GPU, value: 2}}} */
    public record GenericResource(String kind, long value) {
    }

    /**
     * Container settings beyond the process itself; null scalars and empty collections are unset.
     *
     * @param ulimits {@code ulimits} by name, a single number meaning soft and hard alike
     * @param dns     {@code dns}: name server addresses
     */
    public record ContainerOptions(List<String> capAdd, List<String> capDrop, Map<String, String> sysctls,
                                   Map<String, Ulimit> ulimits, Boolean init, Boolean readOnly, Boolean tty,
                                   Boolean stdinOpen, String isolation, CredentialSpec credentialSpec,
                                   List<String> dns, List<String> dnsSearch, Logging logging) {
        public static final ContainerOptions NONE = new ContainerOptions(null, null, null, null, null, null, null, null,
                null, null, null, null, null);

        public ContainerOptions {
            capAdd = Ordered.list(capAdd);
            capDrop = Ordered.list(capDrop);
            sysctls = Ordered.map(sysctls);
            ulimits = Ordered.map(ulimits);
            dns = Ordered.list(dns);
            dnsSearch = Ordered.list(dnsSearch);
        }
    }

    public record Ulimit(long soft, long hard) {
    }

    /** {@code credential_spec}: exactly one of a config name, a file or a registry value. */
    public record CredentialSpec(String config, String file, String registry) {
    }

    /** {@code logging}: the task's log driver and its options. */
    public record Logging(String driver, Map<String, String> options) {
        public Logging {
            options = Ordered.map(options);
        }
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

    /**
     * A service's attachment to a network; aliases are extra DNS names on it, driver options go to the network
     * driver for this attachment ({@code driver_opts}).
     */
    public record ServiceNetwork(List<String> aliases, Map<String, String> driverOpts) {
        public static final ServiceNetwork PLAIN = new ServiceNetwork(List.of());

        public ServiceNetwork {
            aliases = Ordered.list(aliases);
            driverOpts = Ordered.map(driverOpts);
        }

        public ServiceNetwork(List<String> aliases) {
            this(aliases, Map.of());
        }
    }

    /**
     * A mount: {@code type} volume (source is a top-level volume name, or null for an anonymous volume), bind
     * (source is a host path) or tmpfs (no source).
     */
    public record VolumeMount(Type type, String source, String target, boolean readOnly, MountOptions options) {
        public enum Type { VOLUME, BIND, TMPFS }

        public VolumeMount {
            options = options == null ? MountOptions.NONE : options;
        }

        public VolumeMount(Type type, String source, String target, boolean readOnly) {
            this(type, source, target, readOnly, MountOptions.NONE);
        }
    }

    /**
     * The long syntax's per-type options: {@code volume.nocopy}, {@code bind.propagation} (e.g. {@code rslave}),
     * {@code tmpfs.size} in bytes and {@code tmpfs.mode}; null or false when not set.
     */
    public record MountOptions(boolean noCopy, String propagation, Long tmpfsSize, Integer tmpfsMode) {
        public static final MountOptions NONE = new MountOptions(false, null, null, null);
    }

    /**
     * A config or secret reference. {@code target} defaults to the source (the engine puts a relative target at
     * the root for configs, under {@code /run/secrets/} for secrets); null here means not set.
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
