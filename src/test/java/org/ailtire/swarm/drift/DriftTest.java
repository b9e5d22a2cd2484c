package org.ailtire.swarm.drift;

import com.github.dockerjava.api.model.ContainerSpec;
import com.github.dockerjava.api.model.ResourceRequirements;
import com.github.dockerjava.api.model.ResourceSpecs;
import com.github.dockerjava.api.model.ServiceGlobalModeOptions;
import com.github.dockerjava.api.model.ServiceModeConfig;
import com.github.dockerjava.api.model.ServiceReplicatedModeOptions;
import com.github.dockerjava.api.model.ServiceSpec;
import com.github.dockerjava.api.model.TaskSpec;
import org.ailtire.swarm.Labels;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class DriftTest {
    private static final String NS = "shop";

    /** A service as the engine would hold it after an apply: key label, hash label, one replica. */
    private static ServiceSpec spec(String key) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(Labels.NAMESPACE, NS);
        labels.put(Labels.KEY, key);
        labels.put(Labels.SPEC_HASH, "hash-" + key);
        return new ServiceSpec().withName(NS + "_" + key).withLabels(labels)
                .withTaskTemplate(new TaskSpec().withContainerSpec(new ContainerSpec()
                        .withImage("ailtire/busybox:local@sha256:aaaa").withEnv(List.of("GREETING=hello", "LANG=C"))))
                .withMode(new ServiceModeConfig().withReplicated(new ServiceReplicatedModeOptions().withReplicas(1)));
    }

    private static ServiceSpec childStack(String key) {
        ServiceSpec spec = spec(key);
        spec.getLabels().put(Labels.KIND, Labels.KIND_STACK);
        return spec;
    }

    /** The produced objects: web, api, the backend child stack, one network, config and secret. */
    private static EngineObjects produced() {
        return objects(List.of(spec("web"), spec("api"), childStack("backend")), UnaryOperator.identity());
    }

    /** The produced objects with one service's spec changed by {@code change}. */
    private static EngineObjects withService(String key, UnaryOperator<ServiceSpec> change) {
        List<ServiceSpec> specs = new ArrayList<>(List.of(spec("web"), spec("api"), childStack("backend")));
        specs.replaceAll(s -> s.getName().equals(NS + "_" + key) ? change.apply(s) : s);
        return objects(specs, UnaryOperator.identity());
    }

    private static EngineObjects objects(List<ServiceSpec> specs, UnaryOperator<EngineObjects> change) {
        Map<String, ServiceFacts> services = new HashMap<>();
        specs.forEach(s -> services.put(s.getName(), ServiceFacts.of(s)));
        return change.apply(new EngineObjects(services, Set.of("shop_default", "shop-backend_default"),
                Set.of("shop_site"), Set.of("shop_password")));
    }

    private static EngineObjects without(String engineName) {
        EngineObjects all = produced();
        Map<String, ServiceFacts> services = new HashMap<>(all.services());
        services.remove(engineName);
        return new EngineObjects(services, all.networks(), all.configs(), all.secrets());
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("nothing changed", produced(), ""),
                Arguments.of("the same environment in another order",
                        withService("api", s -> { s.getTaskTemplate().getContainerSpec().withEnv(List.of("LANG=C", "GREETING=hello")); return s; }),
                        ""),
                Arguments.of("a service removed", without("shop_web"), "service web removed"),
                Arguments.of("a child stack's controller removed", without("shop_backend"), "stack backend removed"),
                Arguments.of("scaled", withService("api", s -> s.withMode(new ServiceModeConfig()
                                .withReplicated(new ServiceReplicatedModeOptions().withReplicas(3)))),
                        "service api scaled to 3 (definition: 1)"),
                Arguments.of("another image", withService("api", s -> {
                    s.getTaskTemplate().getContainerSpec().withImage("busybox:1.36");
                    return s;
                }), "service api image changed to busybox:1.36 (definition: ailtire/busybox:local@sha256:aaaa)"),
                Arguments.of("environment added, changed and removed (names only)", withService("api", s -> {
                    s.getTaskTemplate().getContainerSpec().withEnv(List.of("GREETING=secret-value", "DEBUG=1"));
                    return s;
                }), "service api environment changed: DEBUG added, GREETING changed, LANG removed"),
                Arguments.of("a limit added", withService("web", s -> {
                    s.getTaskTemplate().withResources(new ResourceRequirements()
                            .withLimits(new ResourceSpecs().withNanoCPUs(500_000_000L)));
                    return s;
                }), "service web spec changed: TaskTemplate.Resources"),
                Arguments.of("the hash label changed", withService("web", s -> {
                    s.getLabels().put(Labels.SPEC_HASH, "other");
                    return s;
                }), "service web spec changed: Labels.org.ailtire.spec-hash"),
                Arguments.of("replicated made global (the mode, not a scale)", withService("web",
                                s -> s.withMode(new ServiceModeConfig().withGlobal(new ServiceGlobalModeOptions()))),
                        "service web spec changed: Mode.Global, Mode.Replicated"),
                Arguments.of("a service added with the stack's label", objects(
                                List.of(spec("web"), spec("api"), childStack("backend"), spec("extra")),
                                UnaryOperator.identity()),
                        "service extra added (not in the definition)"),
                Arguments.of("a network, a config and a secret removed", objects(
                                List.of(spec("web"), spec("api"), childStack("backend")),
                                o -> new EngineObjects(o.services(), Set.of("shop_default"), Set.of(), Set.of())),
                        "network shop-backend_default removed; config shop_site removed; secret shop_password removed"),
                Arguments.of("several at once, in key order", objects(List.of(childStack("backend"),
                                spec("web").withMode(new ServiceModeConfig().withReplicated(
                                        new ServiceReplicatedModeOptions().withReplicas(0)))), UnaryOperator.identity()),
                        "service api removed; service web scaled to 0 (definition: 1)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void namesEachDifference(String what, EngineObjects now, String expected) {
        Drift drift = Drift.between(produced(), now);

        assertThat(drift.summary()).isEqualTo(expected);
        assertThat(drift.isEmpty()).isEqualTo(expected.isEmpty());
        assertThat(drift.describe()).isEqualTo(expected.isEmpty() ? "" : "drifted: " + expected);
    }

    @Test
    void onlySpecChangesAreRewritten() {
        EngineObjects now = objects(List.of(childStack("backend"), spec("extra"),
                spec("web").withMode(new ServiceModeConfig().withReplicated(new ServiceReplicatedModeOptions().withReplicas(2)))),
                UnaryOperator.identity());

        Drift drift = Drift.between(produced(), now);

        // api is created again and extra pruned by an ordinary apply; web's hash label is the definition's.
        assertThat(drift.rewrites()).containsExactly("shop_web");
        assertThat(drift.removedServices()).extracting(Difference::key).containsExactly("api");
    }

    @Test
    void globalServicesAreNotScaled() {
        ServiceSpec global = spec("agent").withMode(new ServiceModeConfig().withGlobal(new ServiceGlobalModeOptions()));
        EngineObjects both = objects(List.of(global), UnaryOperator.identity());

        assertThat(ServiceFacts.of(global).replicas()).isNull();
        assertThat(Drift.between(both, both).isEmpty()).isTrue();
    }

    @Test
    void aChildStacksControllerIsAStack() {
        assertThat(ServiceFacts.of(childStack("backend")).childStack()).isTrue();
        assertThat(ServiceFacts.of(spec("web")).childStack()).isFalse();
        Difference removed = Drift.between(produced(), without("shop_backend")).removedServices().get(0);
        assertThat(removed.childStack()).isTrue();
    }

    @Test
    void environmentValuesAreNeverShown() {
        String change = Drift.environmentChange(List.of("PASSWORD=one"), List.of("PASSWORD=two", "TOKEN=abc"));

        assertThat(change).isEqualTo("PASSWORD changed, TOKEN added").doesNotContain("one", "two", "abc");
    }

    @Test
    void manyChangedPathsAreCounted() {
        EngineObjects now = withService("web", s -> {
            s.getLabels().put("a", "1");
            s.getLabels().put("b", "2");
            s.getLabels().put("c", "3");
            s.getLabels().put("d", "4");
            return s;
        });

        assertThat(Drift.between(produced(), now).summary())
                .isEqualTo("service web spec changed: Labels.a, Labels.b, Labels.c and 1 more");
    }
}
