package org.ailtire.definition;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.ailtire.definition.ServiceDefinition.Deploy;
import org.ailtire.definition.ServiceDefinition.FileReference;
import org.ailtire.definition.ServiceDefinition.Healthcheck;
import org.ailtire.definition.ServiceDefinition.ServiceNetwork;
import org.ailtire.definition.ServiceDefinition.VolumeMount;

/** Reads one entry of {@code services}. */
final class ServiceReader {
    private static final Set<String> KEYS = Set.of("image", "command", "entrypoint", "environment", "env_file",
            "labels", "deploy", "ports", "networks", "volumes", "tmpfs", "configs", "secrets", "healthcheck",
            "stop_grace_period", "stop_signal", "user", "working_dir", "hostname", "extra_hosts", "restart");
    private static final Set<String> KEYS_AND_OPTIONS = union(KEYS, ContainerOptionsReader.KEYS);
    private static final Map<String, String> IGNORED = ignoredKeys();
    private static final Set<String> HEALTHCHECK_KEYS = Set.of("test", "interval", "timeout", "retries", "start_period",
            "disable");
    private static final Set<String> TEST_KINDS = Set.of("NONE", "CMD", "CMD-SHELL");
    private static final Set<String> REFERENCE_KEYS = Set.of("source", "target", "uid", "gid", "mode");
    private static final Set<String> NETWORK_KEYS = Set.of("aliases", "driver_opts");

    private final StackNames declared;
    private final FileAccess files;
    private final Map<String, String> variables;
    private final Problems problems;

    ServiceReader(StackNames declared, FileAccess files, Map<String, String> variables, Problems problems) {
        this.declared = declared;
        this.files = files;
        this.variables = variables;
        this.problems = problems;
    }

    ServiceDefinition read(String name, Fields service) {
        service.checkKeys(KEYS_AND_OPTIONS, IGNORED, true);
        String image = service.string("image");
        AiltireExtension ailtire = AiltireExtensionReader.read(name, image, service.get(AiltireExtension.KEY),
                service.at(AiltireExtension.KEY), problems);
        // A child stack service runs the controller image unless it names another one.
        if (image == null && !service.has("image") && !ailtire.isChildStack()) {
            service.error("image", "required: swarm services run an image (build is not supported)");
        }
        List<VolumeMount> mounts = new ArrayList<>();
        MountReader mountReader = new MountReader(declared.volumes(), files, problems);
        if (service.has("volumes")) {
            mounts.addAll(mountReader.volumes(service.get("volumes"), service.at("volumes")));
        }
        if (service.has("tmpfs")) {
            mounts.addAll(mountReader.tmpfs(service.get("tmpfs"), service.at("tmpfs")));
        }
        return new ServiceDefinition(name, image,
                words(service, "command"),
                words(service, "entrypoint"),
                environment(service),
                service.labels("labels"),
                deploy(service),
                service.has("ports") ? PortReader.read(service.get("ports"), service.at("ports"), problems) : List.of(),
                networks(service),
                mounts,
                references(service, "configs", declared.configs()),
                references(service, "secrets", declared.secrets()),
                service.has("healthcheck") ? healthcheck(service.fields("healthcheck")) : null,
                service.duration("stop_grace_period"),
                service.string("stop_signal"),
                service.string("user"),
                service.string("working_dir"),
                service.string("hostname"),
                extraHosts(service),
                ContainerOptionsReader.read(service),
                extensionsBesides(service, AiltireExtension.KEY),
                ailtire);
    }

    private static Map<String, Object> extensionsBesides(Fields service, String parsed) {
        Map<String, Object> extensions = service.extensions();
        extensions.remove(parsed);
        return extensions;
    }

    /** {@code deploy}; without {@code deploy.restart_policy}, {@code restart} gives it, as docker maps it. */
    private static Deploy deploy(Fields service) {
        Deploy deploy = service.has("deploy") ? DeployReader.read(service.fields("deploy")) : Deploy.DEFAULT;
        ServiceDefinition.RestartPolicy restart = DeployReader.restart(service);
        if (deploy.restartPolicy() != null || restart == null) {
            return deploy;
        }
        return new Deploy(deploy.mode(), deploy.replicas(), deploy.resources(), restart, deploy.placement(),
                deploy.updateConfig(), deploy.rollbackConfig(), deploy.endpointMode(), deploy.labels());
    }

    private List<String> words(Fields service, String key) {
        Object value = service.get(key);
        if (value instanceof Scalar scalar) {
            try {
                return ShellWords.split(scalar.text());
            } catch (IllegalArgumentException e) {
                service.error(key, e.getMessage());
                return null;
            }
        }
        return service.strings(key, false);
    }

    /** {@code env_file} contents, overridden by {@code environment}; a name without value comes from the variables. */
    private Map<String, String> environment(Fields service) {
        Map<String, String> environment = new LinkedHashMap<>();
        List<String> envFiles = service.strings("env_file", true);
        for (int i = 0; envFiles != null && i < envFiles.size(); i++) {
            String path = service.get("env_file") instanceof List<?> ? Problems.index(service.at("env_file"), i) : service.at("env_file");
            byte[] content = files.read(envFiles.get(i), path, problems);
            if (content != null) {
                EnvFile.parse(new String(content, StandardCharsets.UTF_8), path, problems)
                        .forEach((key, value) -> put(environment, key, value));
            }
        }
        Values.stringMap(service.get("environment"), service.at("environment"), problems)
                .forEach((key, value) -> put(environment, key, value));
        return environment;
    }

    private void put(Map<String, String> environment, String key, String value) {
        String resolved = value != null ? value : variables.get(key);
        if (resolved == null) {
            environment.remove(key);
        } else {
            environment.put(key, resolved);
        }
    }

    private Map<String, ServiceNetwork> networks(Fields service) {
        Map<String, ServiceNetwork> networks = new LinkedHashMap<>();
        Object value = service.get("networks");
        String path = service.at("networks");
        if (!service.has("networks")) {
            networks.put(StackNames.DEFAULT_NETWORK, ServiceNetwork.PLAIN);
        } else if (value instanceof List<?>) {
            List<String> names = service.strings("networks", false);
            for (int i = 0; i < names.size(); i++) {
                if (declaredNetwork(names.get(i), Problems.index(path, i))) {
                    networks.put(names.get(i), ServiceNetwork.PLAIN);
                }
            }
        } else if (value instanceof Map<?, ?> map) {
            for (Object key : map.keySet()) {
                String name = (String) key;
                Fields network = Fields.of(map.get(key), Problems.child(path, name), problems);
                network.checkKeys(NETWORK_KEYS, Map.of("ipv4_address", Fields.SWARM_IGNORES,
                        "ipv6_address", Fields.SWARM_IGNORES, "link_local_ips", Fields.NOT_SUPPORTED_YET,
                        "priority", Fields.NOT_SUPPORTED_YET,
                        "mac_address", Fields.NOT_SUPPORTED_YET, "gw_priority", Fields.NOT_SUPPORTED_YET), false);
                List<String> aliases = network.strings("aliases", false);
                if (declaredNetwork(name, Problems.child(path, name))) {
                    networks.put(name, new ServiceNetwork(aliases, network.labels("driver_opts")));
                }
            }
        } else {
            problems.error(path, "expected a list or a mapping of networks, got " + Values.describe(value));
        }
        return networks;
    }

    private boolean declaredNetwork(String name, String path) {
        if (declared.networks().contains(name) || name.equals(StackNames.DEFAULT_NETWORK)) {
            return true;
        }
        problems.error(path, "network \"" + name + "\" is not defined in the top-level networks");
        return false;
    }

    private List<FileReference> references(Fields service, String key, Set<String> declaredNames) {
        List<FileReference> references = new ArrayList<>();
        Object value = service.get(key);
        if (value == null) {
            return references;
        }
        if (!(value instanceof List<?> list)) {
            service.error(key, "expected a list, got " + Values.describe(value));
            return references;
        }
        for (int i = 0; i < list.size(); i++) {
            String path = Problems.index(service.at(key), i);
            FileReference reference = list.get(i) instanceof Map<?, ?> ? longReference(Fields.of(list.get(i), path, problems))
                    : shortReference(list.get(i), path);
            if (reference == null) {
                continue;
            }
            if (!declaredNames.contains(reference.source())) {
                problems.error(path, key.substring(0, key.length() - 1) + " \"" + reference.source()
                        + "\" is not defined in the top-level " + key);
            } else {
                references.add(reference);
            }
        }
        return references;
    }

    private FileReference shortReference(Object item, String path) {
        String source = Values.string(item, path, problems);
        return source == null ? null : new FileReference(source, null, null, null, null);
    }

    private FileReference longReference(Fields reference) {
        reference.checkKeys(REFERENCE_KEYS, Map.of(), false);
        String source = reference.string("source");
        if (source == null) {
            reference.error("source", "required: the name of the top-level entry");
            return null;
        }
        return new FileReference(source, reference.string("target"), reference.string("uid"), reference.string("gid"),
                FileMode.read(reference.get("mode"), reference.at("mode"), problems));
    }

    private Healthcheck healthcheck(Fields check) {
        check.checkKeys(HEALTHCHECK_KEYS, Map.of("start_interval", Fields.NOT_SUPPORTED_YET), false);
        List<String> test = List.of();
        Object value = check.get("test");
        if (value instanceof Scalar scalar) {
            test = List.of("CMD-SHELL", scalar.text());
        } else if (value != null) {
            test = check.strings("test", false);
            if (test != null && (test.isEmpty() || !TEST_KINDS.contains(test.getFirst()))) {
                check.error("test", "a test list starts with \"CMD\", \"CMD-SHELL\" or \"NONE\", got " + test);
            }
        }
        boolean disable = check.flag("disable");
        if (disable && test != null && !test.isEmpty() && !test.equals(List.of("NONE"))) {
            check.error("disable", "cannot be combined with a test");
        }
        Integer retries = check.nonNegative("retries");
        Duration interval = check.duration("interval");
        return new Healthcheck(test, interval, check.duration("timeout"), retries, check.duration("start_period"), disable);
    }

    /** {@code extra_hosts} as {@code host:ip}, from a list ({@code host:ip} or {@code host=ip}) or a mapping. */
    private List<String> extraHosts(Fields service) {
        Object value = service.get("extra_hosts");
        List<String> hosts = new ArrayList<>();
        if (value instanceof Map<?, ?>) {
            Values.stringMap(value, service.at("extra_hosts"), problems).forEach((host, ip) -> {
                if (ip == null || ip.isEmpty()) {
                    problems.error(Problems.child(service.at("extra_hosts"), host), "expected an IP address");
                } else {
                    hosts.add(host + ":" + ip);
                }
            });
            return hosts;
        }
        List<String> entries = service.strings("extra_hosts", false);
        for (int i = 0; entries != null && i < entries.size(); i++) {
            String entry = entries.get(i);
            int equals = entry.indexOf('=');
            int colon = entry.indexOf(':');
            int separator = equals >= 0 && (colon < 0 || equals < colon) ? equals : colon;
            if (separator <= 0 || separator == entry.length() - 1) {
                problems.error(Problems.index(service.at("extra_hosts"), i), "expected \"host:ip\", got \"" + entry + "\"");
            } else {
                hosts.add(entry.substring(0, separator) + ":" + entry.substring(separator + 1));
            }
        }
        return hosts;
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new java.util.HashSet<>(a);
        all.addAll(b);
        return Set.copyOf(all);
    }

    private static Map<String, String> ignoredKeys() {
        Map<String, String> ignored = new HashMap<>();
        for (String key : List.of("build", "container_name", "depends_on", "links", "network_mode", "dns_opt", "group_add",
                "privileged", "devices", "cgroup_parent", "cgroupns_mode", "security_opt", "userns_mode", "expose",
                "external_links", "domainname", "ipc", "mac_address", "pid", "shm_size", "profiles", "platform",
                "pull_policy", "scale", "mem_limit", "memswap_limit", "mem_reservation", "mem_swappiness", "cpus",
                "cpu_shares", "cpu_quota", "cpu_period", "cpu_count", "cpu_percent", "cpuset", "cpu_rt_runtime",
                "cpu_rt_period", "blkio_config", "oom_kill_disable", "oom_score_adj", "runtime", "storage_opt",
                "volumes_from", "develop", "gpus", "attach", "post_start", "pre_stop", "use_api_socket")) {
            ignored.put(key, Fields.SWARM_IGNORES);
        }
        ignored.put("annotations", Fields.NOT_SUPPORTED_YET);
        return Map.copyOf(ignored);
    }
}
