package org.ailtire.swarm.convert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.core.DockerClientConfig;
import org.ailtire.definition.DefinitionException;
import org.ailtire.definition.DefinitionLoader;
import org.ailtire.definition.Problem;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * One row per Compose key: the service's keys as written, where the key lands in the Engine JSON docker-java sends,
 * and the fields it holds there (the values {@code docker stack deploy} sends for the same keys; docker-java also
 * sends unset fields as null, which the engine reads as unset).
 */
class ComposeKeyConversionTest {
    private static final ObjectMapper ENGINE_JSON = DockerClientConfig.getDefaultObjectMapper();

    static Stream<Arguments> keys() {
        return Stream.of(
                arguments("deploy: {mode: replicated-job, replicas: 3}", "/Mode",
                        "{\"ReplicatedJob\":{\"MaxConcurrent\":3,\"TotalCompletions\":3}}"),
                arguments("deploy: {mode: replicated-job}", "/Mode", "{\"ReplicatedJob\":{}}"),
                arguments("deploy: {mode: global-job}", "/Mode", "{\"GlobalJob\":{}}"),
                arguments("deploy: {mode: global}", "/Mode", "{\"Global\":{}}"),
                arguments("deploy: {placement: {preferences: [{spread: node.labels.zone}]}}", "/TaskTemplate/Placement",
                        "{\"Preferences\":[{\"Spread\":{\"SpreadDescriptor\":\"node.labels.zone\"}}]}"),
                arguments("deploy: {placement: {max_replicas_per_node: 2, constraints: [node.role==worker]}}",
                        "/TaskTemplate/Placement", "{\"Constraints\":[\"node.role==worker\"],\"MaxReplicas\":2}"),
                arguments("deploy: {resources: {limits: {pids: 50}}}", "/TaskTemplate/Resources/Limits", "{\"Pids\":50}"),
                arguments("deploy: {resources: {reservations: {generic_resources: [{discrete_resource_spec: {kind: GPU, value: 2}}]}}}",
                        "/TaskTemplate/Resources/Reservations",
                        "{\"GenericResources\":[{\"DiscreteResourceSpec\":{\"Kind\":\"GPU\",\"Value\":2}}]}"),
                arguments("cap_add: [net_admin, CAP_SYS_TIME]\ncap_drop: [ALL, net_admin]", "/TaskTemplate/ContainerSpec",
                        "{\"CapabilityAdd\":[\"CAP_NET_ADMIN\",\"CAP_SYS_TIME\"],\"CapabilityDrop\":[\"ALL\"]}"),
                arguments("cap_add: [ALL, chown]", "/TaskTemplate/ContainerSpec/CapabilityAdd", "[\"ALL\"]"),
                arguments("sysctls: {net.core.somaxconn: 1024}", "/TaskTemplate/ContainerSpec/Sysctls",
                        "{\"net.core.somaxconn\":\"1024\"}"),
                arguments("sysctls: [net.ipv4.tcp_syncookies=0]", "/TaskTemplate/ContainerSpec/Sysctls",
                        "{\"net.ipv4.tcp_syncookies\":\"0\"}"),
                arguments("ulimits: {nproc: 65535, nofile: {soft: 1024, hard: 2048}}", "/TaskTemplate/ContainerSpec/Ulimits",
                        "[{\"Name\":\"nofile\",\"Soft\":1024,\"Hard\":2048},{\"Name\":\"nproc\",\"Soft\":65535,\"Hard\":65535}]"),
                arguments("init: true", "/TaskTemplate/ContainerSpec/Init", "true"),
                arguments("read_only: true", "/TaskTemplate/ContainerSpec/ReadOnly", "true"),
                arguments("tty: true", "/TaskTemplate/ContainerSpec/TTY", "true"),
                arguments("stdin_open: true", "/TaskTemplate/ContainerSpec/OpenStdin", "true"),
                arguments("isolation: default", "/TaskTemplate/ContainerSpec/Isolation", "\"default\""),
                arguments("credential_spec: {file: spec.json}", "/TaskTemplate/ContainerSpec/Privileges",
                        "{\"CredentialSpec\":{\"File\":\"spec.json\"}}"),
                arguments("credential_spec: {registry: gmsa}", "/TaskTemplate/ContainerSpec/Privileges",
                        "{\"CredentialSpec\":{\"Registry\":\"gmsa\"}}"),
                arguments("dns: 10.0.0.2\ndns_search: [example.org]", "/TaskTemplate/ContainerSpec/DNSConfig",
                        "{\"Nameservers\":[\"10.0.0.2\"],\"Search\":[\"example.org\"]}"),
                arguments("logging: {driver: json-file, options: {max-size: 10m}}", "/TaskTemplate/LogDriver",
                        "{\"Name\":\"json-file\",\"Options\":{\"max-size\":\"10m\"}}"),
                arguments("restart: on-failure:3", "/TaskTemplate/RestartPolicy",
                        "{\"Condition\":\"on-failure\",\"MaxAttempts\":3}"),
                arguments("restart: unless-stopped", "/TaskTemplate/RestartPolicy", "{\"Condition\":\"any\"}"),
                arguments("restart: always\ndeploy: {restart_policy: {condition: none}}", "/TaskTemplate/RestartPolicy",
                        "{\"Condition\":\"none\"}"),
                arguments("stop_signal: SIGUSR1", "/TaskTemplate/ContainerSpec/StopSignal", "\"SIGUSR1\""),
                arguments("hostname: box", "/TaskTemplate/ContainerSpec/Hostname", "\"box\""),
                arguments("extra_hosts: {db.local: 10.0.0.5}", "/TaskTemplate/ContainerSpec/Hosts", "[\"10.0.0.5 db.local\"]"),
                arguments("labels: {tier: front}\ndeploy: {labels: {team: blue}}", "/Labels/team", "\"blue\""),
                arguments("healthcheck: {disable: true}", "/TaskTemplate/ContainerSpec/Healthcheck", "{\"Test\":[\"NONE\"]}"),
                arguments("healthcheck: {test: curl -f localhost, start_period: 5s}", "/TaskTemplate/ContainerSpec/Healthcheck",
                        "{\"Test\":[\"CMD-SHELL\",\"curl -f localhost\"],\"StartPeriod\":5000000000}"),
                arguments("deploy: {update_config: {order: start-first, failure_action: rollback, monitor: 5s, max_failure_ratio: 0.5}}",
                        "/UpdateConfig", "{\"Parallelism\":1,\"FailureAction\":\"rollback\",\"Monitor\":5000000000,"
                                + "\"MaxFailureRatio\":0.5,\"Order\":\"start-first\"}"),
                arguments("deploy: {endpoint_mode: dnsrr}", "/EndpointSpec/Mode", "\"dnsrr\""));
    }

    /** Keys that need a top-level entry next to the service. */
    static Stream<Arguments> keysWithTopLevel() {
        return Stream.of(
                arguments("volumes: [{type: volume, source: data, target: /d, volume: {nocopy: true}}]", "volumes: {data: {}}",
                        "/TaskTemplate/ContainerSpec/Mounts/0/VolumeOptions/NoCopy", "true"),
                arguments("volumes: [{type: volume, source: data, target: /d, volume: {nocopy: true}}]",
                        "volumes: {data: {external: true}}", "/TaskTemplate/ContainerSpec/Mounts/0/VolumeOptions",
                        "{\"NoCopy\":true,\"Labels\":null}"),
                arguments("volumes: [\"data:/d:ro,nocopy\"]", "volumes: {data: {}}",
                        "/TaskTemplate/ContainerSpec/Mounts/0", "{\"ReadOnly\":true,\"VolumeOptions\":{\"NoCopy\":true}}"),
                arguments("volumes: [\"/srv:/srv:rshared\"]", "",
                        "/TaskTemplate/ContainerSpec/Mounts/0/BindOptions", "{\"Propagation\":\"rshared\"}"),
                arguments("volumes: [{type: bind, source: /tmp, target: /t, bind: {propagation: rslave}}]", "",
                        "/TaskTemplate/ContainerSpec/Mounts/0/BindOptions", "{\"Propagation\":\"rslave\"}"),
                arguments("volumes: [{type: tmpfs, target: /t, tmpfs: {size: 16777216}}]", "",
                        "/TaskTemplate/ContainerSpec/Mounts/0/TmpfsOptions", "{\"SizeBytes\":16777216,\"Mode\":null}"),
                arguments("volumes: [{type: tmpfs, target: /t, tmpfs: {size: 64m, mode: 0700}}]", "",
                        "/TaskTemplate/ContainerSpec/Mounts/0/TmpfsOptions", "{\"SizeBytes\":67108864,\"Mode\":448}"),
                arguments("networks: {back: {driver_opts: {com.example.opt: x}, aliases: [b]}}", "networks: {back: {}}",
                        "/TaskTemplate/Networks/0", "{\"Target\":\"shop_back\",\"Aliases\":[\"b\",\"web\"],"
                                + "\"DriverOpts\":{\"com.example.opt\":\"x\"}}"),
                arguments("secrets: [tok]", "secrets: {tok: {content: x}}",
                        "/TaskTemplate/ContainerSpec/Secrets/0/File/Name", "\"tok\""),
                arguments("configs: [conf]", "configs: {conf: {content: x}}",
                        "/TaskTemplate/ContainerSpec/Configs/0/File/Name", "\"conf\""));
    }

    @ParameterizedTest(name = "{0} with {1}")
    @MethodSource("keysWithTopLevel")
    void keyWithItsTopLevelEntryReachesTheEngineJson(String serviceKeys, String topLevel, String pointer, String expected)
            throws Exception {
        JsonNode spec = ENGINE_JSON.valueToTree(convert(serviceKeys, topLevel).spec());

        assertThat(holds(spec.at(pointer), ENGINE_JSON.readTree(expected))).as(spec.at(pointer) + " holds " + expected).isTrue();
    }

    @org.junit.jupiter.api.Test
    void anEncryptedOverlayDeclaredInADefinitionReachesTheNetworkItCreates() throws Exception {
        var definition = new DefinitionLoader(null).load("""
                services:
                  web: {image: busybox, networks: [secure, flagged]}
                networks:
                  secure: {driver_opts: {encrypted: ""}}
                  flagged: {driver: overlay, driver_opts: {encrypted: "true"}}
                """, Map.of()).definition();
        StackResources resources = Fixtures.convert(definition).resources();

        assertThat(resources.networks()).extracting(NetworkResource::key, NetworkResource::options).containsExactly(
                org.assertj.core.groups.Tuple.tuple("secure", Map.of("encrypted", "")),
                org.assertj.core.groups.Tuple.tuple("flagged", Map.of("encrypted", "true")));
    }

    @org.junit.jupiter.api.Test
    void ipamAndTemplateDriversReachTheResources() throws Exception {
        var definition = new DefinitionLoader(null).load("""
                services:
                  web: {image: busybox, networks: [data], configs: [env]}
                networks:
                  data: {ipam: {driver: default, config: [{subnet: 10.9.0.0/24}]}}
                configs:
                  env: {content: "N={{ .Service.Name }}", template_driver: golang}
                secrets:
                  plain: {content: x}
                """, Map.of()).definition();
        StackResources resources = Fixtures.convert(definition).resources();

        assertThat(resources.networks()).singleElement().satisfies(n ->
                assertThat(n.ipam()).isEqualTo(new org.ailtire.definition.NetworkDefinition.Ipam("default", java.util.List.of("10.9.0.0/24"))));
        assertThat(resources.configs()).singleElement().satisfies(c -> assertThat(c.templateDriver()).isEqualTo("golang"));
        assertThat(resources.secrets()).singleElement().satisfies(c -> assertThat(c.templateDriver()).isNull());
    }

    @org.junit.jupiter.api.Test
    void theTemplateDriverIsPartOfTheContentAddress() throws Exception {
        String yaml = "services:\n  web: {image: busybox, configs: [env]}\nconfigs:\n  env: {content: x%s}\n";
        var plain = new DefinitionLoader(null).load(yaml.formatted(""), Map.of()).definition();
        var templated = new DefinitionLoader(null).load(yaml.formatted(", template_driver: golang"), Map.of()).definition();

        assertThat(Fixtures.convert(plain).resources().configs().getFirst().name())
                .isNotEqualTo(Fixtures.convert(templated).resources().configs().getFirst().name());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("keys")
    void keyReachesTheEngineJson(String serviceKeys, String pointer, String expected) throws Exception {
        JsonNode spec = ENGINE_JSON.valueToTree(convert(serviceKeys).spec());

        assertThat(holds(spec.at(pointer), ENGINE_JSON.readTree(expected))).as(spec.at(pointer) + " holds " + expected).isTrue();
    }

    /** Whether {@code actual} has every field {@code expected} has, with the same values (numbers by value). */
    private static boolean holds(JsonNode actual, JsonNode expected) {
        if (expected.isObject()) {
            if (!actual.isObject()) {
                return false;
            }
            var names = expected.fieldNames();
            while (names.hasNext()) {
                String name = names.next();
                if (!holds(actual.path(name), expected.get(name))) {
                    return false;
                }
            }
            return true;
        }
        if (expected.isArray()) {
            if (!actual.isArray() || actual.size() != expected.size()) {
                return false;
            }
            for (int i = 0; i < expected.size(); i++) {
                if (!holds(actual.get(i), expected.get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (expected.isNumber()) {
            return actual.isNumber() && actual.decimalValue().compareTo(expected.decimalValue()) == 0;
        }
        return expected.equals(actual);
    }

    static Stream<Arguments> refusals() {
        return Stream.of(
                arguments("deploy: {mode: global-job, replicas: 2}",
                        "services.web.deploy.replicas: not allowed with mode global-job (it runs one task per node); replicas go with replicated or replicated-job"),
                arguments("deploy: {mode: replicated-job, update_config: {parallelism: 1}}",
                        "services.web.deploy.update_config: not supported for jobs (mode replicated-job)"),
                arguments("deploy: {mode: batch}",
                        "services.web.deploy.mode: expected one of replicated, global, replicated-job, global-job, got \"batch\""),
                arguments("credential_spec: {file: a.json, registry: b}",
                        "services.web.credential_spec: set exactly one of config, file or registry, got file and registry"),
                arguments("credential_spec: {config: nothere}",
                        "services.web.credential_spec.config: undefined config \"nothere\": declare it under the top-level configs"),
                arguments("ulimits: {nofile: {soft: 10}}", "services.web.ulimits.nofile.hard: required: a ulimit with soft and hard sets both"),
                arguments("ulimits: {nofile: {soft: 20, hard: 10}}", "services.web.ulimits.nofile: soft limit 20 is above the hard limit 10"),
                arguments("restart: sometimes",
                        "services.web.restart: expected one of no, always, on-failure[:N], unless-stopped, got \"sometimes\""),
                arguments("init: maybe", "services.web.init: expected true or false, got \"maybe\""),
                arguments("logging: {options: {max-size: 10m}}", "services.web.logging.options: log options need a driver"),
                arguments("volumes: [\"/tmp:/t:nocopy\"]", "services.web.volumes[0]: option nocopy does not apply to a bind mount"),
                arguments("volumes: [{type: bind, source: /tmp, target: /t, volume: {nocopy: true}}]",
                        "services.web.volumes[0].volume: volume options are incompatible with type bind"),
                arguments("volumes: [{type: bind, source: /tmp, target: /t, bind: {propagation: sideways}}]",
                        "services.web.volumes[0].bind.propagation: expected one of [rprivate, private, rshared, shared, rslave, slave], got \"sideways\""),
                arguments("deploy: {resources: {limits: {generic_resources: []}}}",
                        "services.web.deploy.resources.limits.generic_resources: unknown key"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void badKeyIsRefusedAtItsPath(String serviceKeys, String problem) {
        assertThatThrownBy(() -> convert(serviceKeys))
                .isInstanceOfSatisfying(DefinitionException.class,
                        e -> assertThat(e.problems()).extracting(Problem::toString).contains(problem));
    }

    @org.junit.jupiter.api.Test
    void credentialSpecConfigIsAlsoARuntimeConfigOfTheService() throws Exception {
        JsonNode spec = ENGINE_JSON.valueToTree(convert("credential_spec: {config: gmsa}", "configs: {gmsa: {content: x}}").spec());

        JsonNode container = spec.at("/TaskTemplate/ContainerSpec");
        String name = container.at("/Privileges/CredentialSpec/Config").asText();
        assertThat(name).startsWith("shop_gmsa_");
        assertThat(container.at("/Configs")).singleElement().satisfies(config -> {
            assertThat(config.path("ConfigName").asText()).isEqualTo(name);
            assertThat(config.path("Runtime").isObject()).isTrue();
            assertThat(config.path("File").isNull() || config.path("File").isMissingNode()).isTrue();
        });
    }

    private static ServiceResource convert(String serviceKeys) throws DefinitionException {
        return convert(serviceKeys, "");
    }

    private static ServiceResource convert(String serviceKeys, String topLevel) throws DefinitionException {
        String yaml = "services:\n  web:\n    image: busybox\n" + serviceKeys.indent(4) + topLevel + "\n";
        var definition = new DefinitionLoader(null).load(yaml, Map.of()).definition();
        return Fixtures.only(Fixtures.convert(definition));
    }
}
