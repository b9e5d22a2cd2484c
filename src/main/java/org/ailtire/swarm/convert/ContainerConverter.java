package org.ailtire.swarm.convert;

import com.github.dockerjava.api.model.ContainerDNSConfig;
import com.github.dockerjava.api.model.ContainerSpec;
import com.github.dockerjava.api.model.ContainerSpecConfig;
import com.github.dockerjava.api.model.ContainerSpecPrivileges;
import com.github.dockerjava.api.model.ContainerSpecPrivilegesCredential;
import com.github.dockerjava.api.model.HealthCheck;
import com.github.dockerjava.api.model.Ulimit;
import org.ailtire.definition.ServiceDefinition;
import org.ailtire.definition.ServiceDefinition.ContainerOptions;
import org.ailtire.definition.ServiceDefinition.CredentialSpec;
import org.ailtire.definition.ServiceDefinition.Healthcheck;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A service's container: image, process, environment, files, mounts, health check and container options. */
final class ContainerConverter {
    private final StackLabels labels;
    private final Problems problems;
    private final MountConverter mounts;
    private final FileObjectConverter files;

    ContainerConverter(StackLabels labels, Problems problems, MountConverter mounts, FileObjectConverter files) {
        this.labels = labels;
        this.problems = problems;
        this.mounts = mounts;
        this.files = files;
    }

    ContainerSpec convert(String path, String key, ServiceDefinition service) {
        if (service.image() == null || service.image().isBlank()) {
            problems.error(path + ".image", "required: swarm services run an image");
        }
        ContainerOptions options = service.options();
        ContainerSpecWithOptions container = new ContainerSpecWithOptions()
                .withCapabilities(Capabilities.effectiveAdd(options.capAdd()), Capabilities.effectiveDrop(options.capAdd(), options.capDrop()))
                .withSysctls(options.sysctls())
                .withUlimits(ulimits(options.ulimits()))
                .withIsolation(options.isolation());
        // Compose's entrypoint replaces the image's ENTRYPOINT (the engine's Command) and command its CMD (Args).
        container
                .withImage(service.image())
                .withLabels(labels.forObject(key, service.labels()))
                .withCommand(service.entrypoint())
                .withArgs(service.command())
                .withEnv(nullIfEmpty(environment(service.environment())))
                .withUser(service.user())
                .withDir(service.workingDir())
                .withHostname(service.hostname())
                .withHosts(nullIfEmpty(hosts(path + ".extra_hosts", service.extraHosts())))
                .withStopSignal(service.stopSignal())
                .withStopGracePeriod(DeployConverter.nanos(service.stopGracePeriod()))
                .withHealthCheck(healthCheck(path + ".healthcheck", service.healthcheck()))
                .withMounts(nullIfEmpty(mounts.convert(path, service.volumes())))
                .withConfigs(nullIfEmpty(files.configReferences(path, service.configs())))
                .withSecrets(nullIfEmpty(files.secretReferences(path, service.secrets())))
                .withInit(options.init())
                .withReadOnly(options.readOnly())
                .withTty(options.tty())
                .withOpenStdin(options.stdinOpen())
                .withDnsConfig(dnsConfig(options))
                .withPrivileges(privileges(options.credentialSpec()));
        if (options.credentialSpec() != null && options.credentialSpec().config() != null) {
            container.withConfigs(withCredentialConfig(path + ".credential_spec.config", container.getConfigs(),
                    options.credentialSpec().config()));
        }
        return container;
    }

    /** Sorted by name, as docker does. */
    private static List<Ulimit> ulimits(Map<String, ServiceDefinition.Ulimit> ulimits) {
        return ulimits.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> new Ulimit(e.getKey(), e.getValue().soft(), e.getValue().hard())).toList();
    }

    /** {@code dns} and {@code dns_search}; docker converts no {@code dns_opt}. */
    private static ContainerDNSConfig dnsConfig(ContainerOptions options) {
        if (options.dns().isEmpty() && options.dnsSearch().isEmpty()) {
            return null;
        }
        return new ContainerDNSConfig().withNameservers(nullIfEmpty(options.dns())).withSearch(nullIfEmpty(options.dnsSearch()));
    }

    private ContainerSpecPrivileges privileges(CredentialSpec spec) {
        if (spec == null) {
            return null;
        }
        if (spec.config() != null) {
            return new ContainerSpecPrivileges().withCredentialSpec(new CredentialSpecWithConfig(files.configName(spec.config())));
        }
        return new ContainerSpecPrivileges().withCredentialSpec(new ContainerSpecPrivilegesCredential()
                .withFile(spec.file()).withRegistry(spec.registry()));
    }

    /** The credential spec's config is handed to the runtime too, next to the file configs, sorted by name. */
    private List<ContainerSpecConfig> withCredentialConfig(String path, List<ContainerSpecConfig> configs, String key) {
        String name = files.configName(key);
        if (name == null) {
            problems.error(path, "undefined config \"" + key + "\": declare it under the top-level configs");
            return configs;
        }
        List<ContainerSpecConfig> all = new ArrayList<>(configs == null ? List.of() : configs);
        all.add(new RuntimeConfigReference(name));
        all.sort(java.util.Comparator.comparing(ContainerSpecConfig::getConfigName));
        return all;
    }

    /**
     * {@code K=V} entries sorted like the docker CLI: the engine does not care about the order of distinct
     * variables, and sorting keeps a reordered file from restarting the service.
     */
    static List<String> environment(Map<String, String> environment) {
        List<String> entries = new ArrayList<>();
        environment.forEach((name, value) -> entries.add(value == null ? name : name + "=" + value));
        entries.sort(null);
        return entries;
    }

    /** {@code host:ip} (or {@code host=ip}) as swarm's {@code "ip host"}, in file order. */
    List<String> hosts(String path, List<String> extraHosts) {
        List<String> result = new ArrayList<>();
        for (int i = 0; i < extraHosts.size(); i++) {
            String entry = extraHosts.get(i);
            int equals = entry.indexOf('=');
            int separator = equals >= 0 ? equals : entry.indexOf(':');
            if (separator <= 0 || separator == entry.length() - 1) {
                problems.error(path + "[" + i + "]", "expected host:ip, got \"" + entry + "\"");
                continue;
            }
            result.add(entry.substring(separator + 1) + " " + entry.substring(0, separator));
        }
        return result;
    }

    HealthCheck healthCheck(String path, Healthcheck healthcheck) {
        if (healthcheck == null) {
            return null;
        }
        if (healthcheck.disable()) {
            if (!healthcheck.test().isEmpty() && !healthcheck.test().equals(List.of("NONE"))) {
                problems.error(path, "test and disable: true cannot both be set");
            }
            return new HealthCheck().withTest(List.of("NONE"));
        }
        return new HealthCheck()
                .withTest(nullIfEmpty(healthcheck.test()))
                .withInterval(DeployConverter.nanos(healthcheck.interval()))
                .withTimeout(DeployConverter.nanos(healthcheck.timeout()))
                .withRetries(healthcheck.retries())
                .withStartPeriod(DeployConverter.nanos(healthcheck.startPeriod()));
    }

    private static <T> List<T> nullIfEmpty(List<T> list) {
        return list == null || list.isEmpty() ? null : list;
    }
}
