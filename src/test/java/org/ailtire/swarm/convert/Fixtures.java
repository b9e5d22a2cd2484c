package org.ailtire.swarm.convert;

import org.ailtire.definition.ConfigDefinition;
import org.ailtire.definition.DefinitionException;
import org.ailtire.definition.NetworkDefinition;
import org.ailtire.definition.SecretDefinition;
import org.ailtire.definition.ServiceDefinition;
import org.ailtire.definition.ServiceDefinition.Deploy;
import org.ailtire.definition.StackDefinition;
import org.ailtire.definition.VolumeDefinition;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builders for definitions as the loader would produce them, and converters for the two kinds of host. */
final class Fixtures {
    static final String NS = "shop";
    static final String STACK_PATH = "/app/shop";
    static final NetworkingDefaults NO_IPVS = new NetworkingDefaults(NetworkingDefaults.EndpointModeSetting.AUTO, false);
    static final NetworkingDefaults WITH_IPVS = new NetworkingDefaults(NetworkingDefaults.EndpointModeSetting.AUTO, true);

    private Fixtures() {
    }

    static Conversion convert(StackDefinition definition) throws DefinitionException {
        return convert(NO_IPVS, definition);
    }

    static Conversion convert(NetworkingDefaults networking, StackDefinition definition) throws DefinitionException {
        return new StackConverter(new ConvertOptions(STACK_PATH, networking)).convert(NS, definition);
    }

    static ServiceResource only(Conversion conversion) {
        assert conversion.resources().services().size() == 1;
        return conversion.resources().services().getFirst();
    }

    static ServiceBuilder service() {
        return new ServiceBuilder();
    }

    static StackBuilder stack() {
        return new StackBuilder();
    }

    static StackDefinition single(ServiceBuilder service) {
        return stack().service("web", service).build();
    }

    static final class StackBuilder {
        private final Map<String, ServiceDefinition> services = new LinkedHashMap<>();
        private final Map<String, NetworkDefinition> networks = new LinkedHashMap<>();
        private final Map<String, VolumeDefinition> volumes = new LinkedHashMap<>();
        private final Map<String, ConfigDefinition> configs = new LinkedHashMap<>();
        private final Map<String, SecretDefinition> secrets = new LinkedHashMap<>();

        StackBuilder service(String key, ServiceBuilder service) {
            services.put(key, service.build(key));
            return this;
        }

        StackBuilder network(String key, NetworkDefinition network) {
            networks.put(key, network);
            return this;
        }

        StackBuilder volume(String key, VolumeDefinition volume) {
            volumes.put(key, volume);
            return this;
        }

        StackBuilder config(String key, ConfigDefinition config) {
            configs.put(key, config);
            return this;
        }

        StackBuilder secret(String key, SecretDefinition secret) {
            secrets.put(key, secret);
            return this;
        }

        StackDefinition build() {
            return new StackDefinition(services, networks, volumes, configs, secrets, Map.of());
        }
    }

    /** Every field optional; defaults are what a file with only {@code image: busybox} gives. */
    static final class ServiceBuilder {
        String image = "busybox:1.36";
        List<String> command;
        List<String> entrypoint;
        Map<String, String> environment = new LinkedHashMap<>();
        Map<String, String> labels = new LinkedHashMap<>();
        Deploy deploy;
        List<ServiceDefinition.Port> ports = new ArrayList<>();
        Map<String, ServiceDefinition.ServiceNetwork> networks = new LinkedHashMap<>();
        List<ServiceDefinition.VolumeMount> volumes = new ArrayList<>();
        List<ServiceDefinition.FileReference> configs = new ArrayList<>();
        List<ServiceDefinition.FileReference> secrets = new ArrayList<>();
        ServiceDefinition.Healthcheck healthcheck;
        Duration stopGracePeriod;
        String stopSignal;
        String user;
        String workingDir;
        String hostname;
        List<String> extraHosts = new ArrayList<>();

        ServiceBuilder image(String value) {
            image = value;
            return this;
        }

        ServiceBuilder command(String... args) {
            command = List.of(args);
            return this;
        }

        ServiceBuilder entrypoint(String... args) {
            entrypoint = List.of(args);
            return this;
        }

        ServiceBuilder env(String name, String value) {
            environment.put(name, value);
            return this;
        }

        ServiceBuilder label(String name, String value) {
            labels.put(name, value);
            return this;
        }

        ServiceBuilder deploy(Deploy value) {
            deploy = value;
            return this;
        }

        ServiceBuilder port(ServiceDefinition.Port port) {
            ports.add(port);
            return this;
        }

        ServiceBuilder network(String key, String... aliases) {
            networks.put(key, new ServiceDefinition.ServiceNetwork(List.of(aliases)));
            return this;
        }

        ServiceBuilder volume(ServiceDefinition.VolumeMount mount) {
            volumes.add(mount);
            return this;
        }

        ServiceBuilder config(ServiceDefinition.FileReference reference) {
            configs.add(reference);
            return this;
        }

        ServiceBuilder secret(ServiceDefinition.FileReference reference) {
            secrets.add(reference);
            return this;
        }

        ServiceBuilder healthcheck(ServiceDefinition.Healthcheck value) {
            healthcheck = value;
            return this;
        }

        ServiceBuilder stopGracePeriod(Duration value) {
            stopGracePeriod = value;
            return this;
        }

        ServiceBuilder stopSignal(String value) {
            stopSignal = value;
            return this;
        }

        ServiceBuilder user(String value) {
            user = value;
            return this;
        }

        ServiceBuilder workingDir(String value) {
            workingDir = value;
            return this;
        }

        ServiceBuilder hostname(String value) {
            hostname = value;
            return this;
        }

        ServiceBuilder extraHost(String value) {
            extraHosts.add(value);
            return this;
        }

        ServiceDefinition build(String key) {
            return new ServiceDefinition(key, image, command, entrypoint, environment, labels, deploy, ports, networks,
                    volumes, configs, secrets, healthcheck, stopGracePeriod, stopSignal, user, workingDir, hostname,
                    extraHosts, Map.of());
        }
    }

    /** A deploy section with only the given parts set. */
    static Deploy deploy() {
        return Deploy.DEFAULT;
    }

    static Deploy withReplicas(Deploy d, Integer replicas) {
        return new Deploy(d.mode(), replicas, d.resources(), d.restartPolicy(), d.placement(), d.updateConfig(),
                d.rollbackConfig(), d.endpointMode(), d.labels());
    }

    static Deploy withMode(Deploy d, ServiceDefinition.Mode mode) {
        return new Deploy(mode, d.replicas(), d.resources(), d.restartPolicy(), d.placement(), d.updateConfig(),
                d.rollbackConfig(), d.endpointMode(), d.labels());
    }

    static Deploy withEndpointMode(Deploy d, ServiceDefinition.EndpointMode mode) {
        return new Deploy(d.mode(), d.replicas(), d.resources(), d.restartPolicy(), d.placement(), d.updateConfig(),
                d.rollbackConfig(), mode, d.labels());
    }

    static Deploy withResources(Deploy d, ServiceDefinition.Resources resources) {
        return new Deploy(d.mode(), d.replicas(), resources, d.restartPolicy(), d.placement(), d.updateConfig(),
                d.rollbackConfig(), d.endpointMode(), d.labels());
    }

    static Deploy withRestartPolicy(Deploy d, ServiceDefinition.RestartPolicy policy) {
        return new Deploy(d.mode(), d.replicas(), d.resources(), policy, d.placement(), d.updateConfig(),
                d.rollbackConfig(), d.endpointMode(), d.labels());
    }

    static Deploy withPlacement(Deploy d, ServiceDefinition.Placement placement) {
        return new Deploy(d.mode(), d.replicas(), d.resources(), d.restartPolicy(), placement, d.updateConfig(),
                d.rollbackConfig(), d.endpointMode(), d.labels());
    }

    static Deploy withUpdate(Deploy d, ServiceDefinition.UpdateConfig update, ServiceDefinition.UpdateConfig rollback) {
        return new Deploy(d.mode(), d.replicas(), d.resources(), d.restartPolicy(), d.placement(), update, rollback,
                d.endpointMode(), d.labels());
    }

    static Deploy withLabels(Deploy d, Map<String, String> labels) {
        return new Deploy(d.mode(), d.replicas(), d.resources(), d.restartPolicy(), d.placement(), d.updateConfig(),
                d.rollbackConfig(), d.endpointMode(), labels);
    }
}
