package org.ailtire.definition;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads the entries of the top-level {@code networks}, {@code volumes}, {@code configs} and {@code secrets}. */
final class TopLevelReader {
    private static final Set<String> NETWORK_KEYS = Set.of("driver", "driver_opts", "attachable", "internal",
            "external", "name", "labels", "ipam");
    private static final Set<String> VOLUME_KEYS = Set.of("driver", "driver_opts", "external", "name", "labels");
    private static final Set<String> FILE_KEYS = Set.of("file", "content", "environment", "external", "name", "labels");
    private static final Set<String> TEMPLATED_FILE_KEYS = union(FILE_KEYS, Set.of("template_driver"));
    private static final List<String> FILE_SOURCES = List.of("file", "content", "environment", "external");
    /** Swarm refuses configs and secrets larger than this (500 KB). */
    static final int MAX_FILE_OBJECT_BYTES = 500 * 1024;

    private final FileAccess files;
    private final Map<String, String> variables;

    TopLevelReader(FileAccess files, Map<String, String> variables) {
        this.files = files;
        this.variables = variables;
    }

    NetworkDefinition network(Fields network) {
        network.checkKeys(NETWORK_KEYS, Map.of("enable_ipv6", Fields.NOT_SUPPORTED_YET), false);
        boolean external = external(network, List.of("driver", "driver_opts", "attachable", "internal", "ipam", "enable_ipv6"));
        return new NetworkDefinition(network.string("driver"), network.labels("driver_opts"), network.flag("attachable"),
                network.flag("internal"), external, name(network), network.labels("labels"),
                network.has("ipam") ? ipam(network.fields("ipam")) : NetworkDefinition.Ipam.NONE);
    }

    /** {@code ipam: {driver, config: [{subnet}]}}; docker stack deploy maps nothing else of it. */
    private static NetworkDefinition.Ipam ipam(Fields ipam) {
        ipam.checkKeys(Set.of("driver", "config"), Map.of("options", Fields.NOT_SUPPORTED_YET), false);
        List<String> subnets = new java.util.ArrayList<>();
        Object pools = ipam.get("config");
        if (pools instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                Fields pool = Fields.of(list.get(i), Problems.index(ipam.at("config"), i), ipam.problems());
                pool.checkKeys(Set.of("subnet"), Map.of("gateway", Fields.NOT_SUPPORTED_YET, "ip_range",
                        Fields.NOT_SUPPORTED_YET, "aux_addresses", Fields.NOT_SUPPORTED_YET), false);
                String subnet = pool.string("subnet");
                if (subnet != null) {
                    subnets.add(subnet);
                }
            }
        } else if (pools != null) {
            ipam.error("config", "expected a list of {subnet: ...}, got " + Values.describe(pools));
        }
        return new NetworkDefinition.Ipam(ipam.string("driver"), subnets);
    }

    VolumeDefinition volume(Fields volume) {
        volume.checkKeys(VOLUME_KEYS, Map.of(), false);
        boolean external = external(volume, List.of("driver", "driver_opts"));
        return new VolumeDefinition(volume.string("driver"), volume.labels("driver_opts"), external, name(volume),
                volume.labels("labels"));
    }

    ConfigDefinition config(Fields config) {
        config.checkKeys(TEMPLATED_FILE_KEYS, Map.of(), false);
        return fileObject(config);
    }

    SecretDefinition secret(Fields secret) {
        secret.checkKeys(TEMPLATED_FILE_KEYS, Map.of("driver", Fields.NOT_SUPPORTED_YET, "driver_opts",
                Fields.NOT_SUPPORTED_YET), false);
        return new SecretDefinition(fileObject(secret));
    }

    private ConfigDefinition fileObject(Fields entry) {
        List<String> sources = FILE_SOURCES.stream().filter(entry::has).toList();
        if (sources.size() != 1) {
            entry.problems().error(entry.path(), "needs exactly one of file, content, environment or external"
                    + (sources.isEmpty() ? "" : ", got " + String.join(" and ", sources)));
        }
        boolean external = external(entry, List.of());
        byte[] data = null;
        if (entry.has("file")) {
            String file = entry.string("file");
            data = file == null ? null : files.read(file, entry.at("file"), entry.problems());
        } else if (entry.has("content")) {
            String content = entry.string("content");
            data = content == null ? null : content.getBytes(StandardCharsets.UTF_8);
        } else if (entry.has("environment")) {
            String variable = entry.string("environment");
            String value = variable == null ? null : variables.get(variable);
            if (variable != null && value == null) {
                entry.error("environment", "variable " + variable + " is not set");
            }
            data = value == null ? null : value.getBytes(StandardCharsets.UTF_8);
        }
        if (data != null && data.length > MAX_FILE_OBJECT_BYTES) {
            String source = sources.isEmpty() ? "file" : sources.get(0);
            entry.error(source, "the content is " + data.length + " bytes; swarm allows at most " + MAX_FILE_OBJECT_BYTES
                    + " bytes for a config or secret");
            data = null;
        }
        String templateDriver = entry.string("template_driver");
        if (external && templateDriver != null) {
            entry.error("template_driver", "cannot be combined with external (the object exists already)");
        }
        return new ConfigDefinition(external ? null : data, external, name(entry), entry.labels("labels"), templateDriver);
    }

    /** {@code external: true}, or the legacy {@code external: {name: ...}} (whose name then becomes the name). */
    private static boolean external(Fields entry, List<String> conflicting) {
        Object value = entry.get("external");
        boolean external;
        if (value instanceof Map<?, ?>) {
            Fields legacy = entry.fields("external");
            legacy.checkKeys(Set.of("name"), Map.of(), false);
            entry.problems().warning(entry.at("external"), "deprecated: write \"external: true\" and \"name:\" instead");
            if (entry.has("name") && legacy.has("name")) {
                entry.error("external", "the name is given twice (external.name and name)");
            }
            external = true;
        } else {
            external = entry.flag("external");
        }
        if (external) {
            for (String key : conflicting) {
                if (entry.has(key)) {
                    entry.error(key, "cannot be combined with external (the object exists already)");
                }
            }
        }
        return external;
    }

    private static String name(Fields entry) {
        if (!entry.has("name") && entry.get("external") instanceof Map<?, ?>) {
            return entry.fields("external").string("name");
        }
        return entry.string("name");
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new java.util.HashSet<>(a);
        all.addAll(b);
        return Set.copyOf(all);
    }
}
