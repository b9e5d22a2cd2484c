package org.ailtire.definition;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.ailtire.definition.ServiceDefinition.ContainerOptions;
import org.ailtire.definition.ServiceDefinition.CredentialSpec;
import org.ailtire.definition.ServiceDefinition.Logging;
import org.ailtire.definition.ServiceDefinition.Ulimit;

/**
 * Reads the service keys that set up the container beyond its process: capabilities, sysctls, ulimits, init,
 * read-only root, terminal, isolation, credential spec, DNS and logging.
 */
final class ContainerOptionsReader {
    static final Set<String> KEYS = Set.of("cap_add", "cap_drop", "sysctls", "ulimits", "init", "read_only", "tty",
            "stdin_open", "isolation", "credential_spec", "dns", "dns_search", "logging");

    private ContainerOptionsReader() {
    }

    static ContainerOptions read(Fields service) {
        return new ContainerOptions(
                service.strings("cap_add", false),
                service.strings("cap_drop", false),
                service.has("sysctls") ? service.labels("sysctls") : Map.of(),
                ulimits(service),
                service.bool("init"),
                service.bool("read_only"),
                service.bool("tty"),
                service.bool("stdin_open"),
                service.string("isolation"),
                service.has("credential_spec") ? credentialSpec(service.fields("credential_spec")) : null,
                service.strings("dns", true),
                service.strings("dns_search", true),
                service.has("logging") ? logging(service.fields("logging")) : null);
    }

    /** {@code nofile: 1024} (soft and hard alike) or {@code nofile: {soft: 1024, hard: 2048}}. */
    private static Map<String, Ulimit> ulimits(Fields service) {
        Map<String, Ulimit> ulimits = new LinkedHashMap<>();
        Fields all = service.fields("ulimits");
        for (String name : all.keys()) {
            Object value = all.get(name);
            if (value instanceof Map<?, ?>) {
                Fields limit = all.fields(name);
                limit.checkKeys(Set.of("soft", "hard"), Map.of(), false);
                Long soft = limit(limit, "soft");
                Long hard = limit(limit, "hard");
                if (soft != null && hard != null) {
                    if (soft > hard) {
                        all.error(name, "soft limit " + soft + " is above the hard limit " + hard);
                    }
                    ulimits.put(name, new Ulimit(soft, hard));
                }
            } else {
                Long single = Values.longValue(value, all.at(name), service.problems(), "an integer or {soft, hard}");
                if (single != null) {
                    ulimits.put(name, new Ulimit(single, single));
                }
            }
        }
        return ulimits;
    }

    private static Long limit(Fields limit, String key) {
        if (!limit.has(key)) {
            limit.error(key, "required: a ulimit with soft and hard sets both");
            return null;
        }
        return Values.longValue(limit.get(key), limit.at(key), limit.problems(), "an integer");
    }

    private static CredentialSpec credentialSpec(Fields spec) {
        spec.checkKeys(Set.of("config", "file", "registry"), Map.of(), false);
        List<String> set = List.of("config", "file", "registry").stream().filter(spec::has).toList();
        if (set.size() != 1) {
            spec.problems().error(spec.path(), "set exactly one of config, file or registry, got "
                    + (set.isEmpty() ? "none" : String.join(" and ", set)));
        }
        return new CredentialSpec(spec.string("config"), spec.string("file"), spec.string("registry"));
    }

    private static Logging logging(Fields logging) {
        logging.checkKeys(Set.of("driver", "options"), Map.of(), false);
        String driver = logging.string("driver");
        Map<String, String> options = logging.labels("options");
        if (driver == null && !options.isEmpty()) {
            logging.error("options", "log options need a driver");
        }
        return new Logging(driver, options);
    }
}
