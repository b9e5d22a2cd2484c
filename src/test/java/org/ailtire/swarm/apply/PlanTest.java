package org.ailtire.swarm.apply;

import com.github.dockerjava.api.model.Service;
import com.github.dockerjava.api.model.ServiceSpec;
import org.ailtire.swarm.Labels;
import org.ailtire.swarm.convert.ServiceResource;
import org.ailtire.swarm.convert.StackResources;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class PlanTest {
    private static ServiceResource defined(String key, String hash) {
        return new ServiceResource("shop_" + key, key, new ServiceSpec().withName("shop_" + key), hash);
    }

    /** A service as the engine lists it, carrying the hash label of the spec it was written with. */
    private static Service onEngine(String key, String hash) {
        return new Service().withSpec(new ServiceSpec().withName("shop_" + key)
                .withLabels(Map.of(Labels.KEY, key, Labels.SPEC_HASH, hash)));
    }

    @Test
    void aServiceToRewriteIsUpdatedThoughItsHashIsTheSame() {
        StackResources target = new StackResources("shop", List.of(), List.of(), List.of(),
                List.of(defined("web", "h1"), defined("api", "h2"), defined("new", "h3")));
        StackInventory before = new StackInventory(Map.of("shop_web", onEngine("web", "h1"),
                "shop_api", onEngine("api", "h2"), "shop_old", onEngine("old", "h4")), Map.of(), Map.of(), Map.of());

        Plan plain = Plan.of(target, before);
        Plan rewriting = Plan.of(target, before, Set.of("shop_api"));

        assertThat(plain.toUpdate()).isEmpty();
        assertThat(plain.unchanged()).extracting(ServiceResource::key).containsExactly("web", "api");
        assertThat(rewriting.toUpdate()).extracting(ServiceResource::key).containsExactly("api");
        assertThat(rewriting.unchanged()).extracting(ServiceResource::key).containsExactly("web");
        assertThat(rewriting.toCreate()).extracting(ServiceResource::key).containsExactly("new");
        assertThat(rewriting.toRemove()).containsExactly("old");
    }
}
