package org.ailtire.swarm.convert;

import org.ailtire.definition.NetworkDefinition;
import org.ailtire.definition.ServiceDefinition.Port;
import org.ailtire.definition.StackDefinition;
import org.ailtire.swarm.Labels;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

import static org.ailtire.swarm.convert.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

class SpecHashTest {

    private static String hash(ServiceBuilder service) throws Exception {
        return only(convert(single(service))).specHash();
    }

    private static ServiceBuilder base() {
        return service().env("A", "1").env("B", "2").label("x", "1").label("y", "2");
    }

    @Test
    void hashIsSha256HexAndIsTheSpecHashLabel() throws Exception {
        ServiceResource web = only(convert(single(base())));

        assertThat(web.specHash()).matches("[0-9a-f]{64}");
        assertThat(web.spec().getLabels()).containsEntry(Labels.SPEC_HASH, web.specHash());
    }

    @Test
    void hashCoversTheSpecWithoutItsOwnLabel() throws Exception {
        ServiceResource web = only(convert(single(base())));
        web.spec().getLabels().remove(Labels.SPEC_HASH);

        assertThat(SpecHash.of(web.spec())).isEqualTo(web.specHash());
    }

    @Test
    void equalDefinitionsGiveEqualHashes() throws Exception {
        assertThat(hash(base())).isEqualTo(hash(base()));
    }

    @Test
    void mapOrderDoesNotChangeTheHash() throws Exception {
        ServiceBuilder reordered = service().env("B", "2").env("A", "1").label("y", "2").label("x", "1");

        assertThat(hash(reordered)).isEqualTo(hash(base()));
    }

    @Test
    void hashDoesNotDependOnHashMapIterationOrder() throws Exception {
        Map<String, String> many = new LinkedHashMap<>();
        for (int i = 0; i < 200; i++) {
            many.put("label-" + i, "v" + i);
        }
        Map<String, String> hashed = new HashMap<>(many);
        Map<String, String> reversed = new LinkedHashMap<>();
        many.keySet().stream().sorted(java.util.Comparator.reverseOrder()).forEach(k -> reversed.put(k, many.get(k)));

        String first = hash(service().deploy(withLabels(deploy(), hashed)));
        assertThat(hash(service().deploy(withLabels(deploy(), reversed)))).isEqualTo(first);
        assertThat(hash(service().deploy(withLabels(deploy(), many)))).isEqualTo(first);
    }

    @Test
    void anyChangeInTheSpecChangesTheHash() throws Exception {
        String original = hash(base());
        Map<String, UnaryOperator<ServiceBuilder>> changes = Map.of(
                "image", s -> s.image("busybox:1.37"),
                "env value", s -> s.env("A", "changed"),
                "container label", s -> s.label("x", "changed"),
                "service label", s -> s.deploy(withLabels(deploy(), Map.of("new", "label"))),
                "replicas", s -> s.deploy(withReplicas(deploy(), 2)),
                "port", s -> s.port(new Port(80, 18080, null, Port.PublishMode.HOST)),
                "command", s -> s.command("sleep", "1"),
                "user", s -> s.user("nobody"));

        changes.forEach((what, change) -> {
            try {
                assertThat(hash(change.apply(base()))).as(what).isNotEqualTo(original);
            } catch (Exception e) {
                throw new AssertionError(what, e);
            }
        });
    }

    @Test
    void changedConfigContentChangesTheHashOfServicesUsingIt() throws Exception {
        StackDefinition v1 = stack().config("c", new org.ailtire.definition.ConfigDefinition("1".getBytes(), false,
                        null, Map.of()))
                .service("web", service().config(new org.ailtire.definition.ServiceDefinition.FileReference("c", null,
                        null, null, null))).build();
        StackDefinition v2 = stack().config("c", new org.ailtire.definition.ConfigDefinition("2".getBytes(), false,
                        null, Map.of()))
                .service("web", service().config(new org.ailtire.definition.ServiceDefinition.FileReference("c", null,
                        null, null, null))).build();

        assertThat(only(convert(v1)).specHash()).isNotEqualTo(only(convert(v2)).specHash());
    }

    @Test
    void stackPathIsPartOfTheSpecAndSoOfTheHash() throws Exception {
        StackDefinition definition = stack().network("n", NetworkDefinition.DEFAULT)
                .service("web", service().network("n")).build();
        String here = new StackConverter(new ConvertOptions("/a", NO_IPVS)).convert(NS, definition)
                .resources().services().getFirst().specHash();
        String there = new StackConverter(new ConvertOptions("/b", NO_IPVS)).convert(NS, definition)
                .resources().services().getFirst().specHash();

        assertThat(here).isNotEqualTo(there);
    }
}
