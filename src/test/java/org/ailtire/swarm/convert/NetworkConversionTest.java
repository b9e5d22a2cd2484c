package org.ailtire.swarm.convert;

import com.github.dockerjava.api.model.NetworkAttachmentConfig;
import org.ailtire.definition.DefinitionException;
import org.ailtire.definition.NetworkDefinition;
import org.ailtire.swarm.Labels;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.ailtire.swarm.convert.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

class NetworkConversionTest {
    private static final NetworkDefinition PLAIN = NetworkDefinition.DEFAULT;

    @Test
    void declaredNetworkIsNamespacedOverlayWithItsSettingsAndStackLabels() throws Exception {
        NetworkDefinition backend = new NetworkDefinition(null, Map.of("encrypted", "true"), true, true, false, null,
                Map.of("purpose", "db"));

        NetworkResource network = convert(stack().network("backend", backend)
                .service("web", service().network("backend")).build()).resources().networks().getFirst();

        assertThat(network).isEqualTo(new NetworkResource("shop_backend", "backend", false, "overlay",
                Map.of("encrypted", "true"), true, true, Map.of("purpose", "db", Labels.NAMESPACE, "shop",
                Labels.MANAGED, "true", Labels.STACK_PATH, "/app/shop", Labels.KEY, "backend")));
    }

    @Test
    void explicitDriverAndNameAreKept() throws Exception {
        NetworkResource network = convert(stack()
                .network("front", new NetworkDefinition("bridge", Map.of(), false, false, false, "custom-front", Map.of()))
                .service("web", service().network("front")).build()).resources().networks().getFirst();

        assertThat(network.name()).isEqualTo("custom-front");
        assertThat(network.driver()).isEqualTo("bridge");
    }

    @Test
    void externalNetworkIsReferencedByNameAndNotLabelled() throws Exception {
        Conversion conversion = convert(stack()
                .network("outside", new NetworkDefinition(null, Map.of(), false, false, true, "app_top", Map.of()))
                .network("plain-external", new NetworkDefinition(null, Map.of(), false, false, true, null, Map.of()))
                .service("web", service().network("outside").network("plain-external")).build());

        assertThat(conversion.resources().networks()).containsExactly(
                new NetworkResource("app_top", "outside", true, null, Map.of(), false, false, Map.of()),
                new NetworkResource("plain-external", "plain-external", true, null, Map.of(), false, false, Map.of()));
        assertThat(only(conversion).spec().getTaskTemplate().getNetworks()).extracting(NetworkAttachmentConfig::getTarget)
                .containsExactly("app_top", "plain-external");
    }

    @Test
    void serviceWithoutNetworksJoinsTheDefaultNetworkWhichIsThenCreated() throws Exception {
        Conversion conversion = convert(single(service()));

        assertThat(conversion.resources().networks()).extracting(NetworkResource::name).containsExactly("shop_default");
        assertThat(conversion.resources().networks().getFirst().driver()).isEqualTo("overlay");
        NetworkAttachmentConfig attachment = only(conversion).spec().getTaskTemplate().getNetworks().getFirst();
        assertThat(attachment.getTarget()).isEqualTo("shop_default");
        assertThat(attachment.getAliases()).containsExactly("web");
    }

    @Test
    void defaultNetworkIsNotCreatedWhenNoServiceUsesItEvenIfDeclared() throws Exception {
        Conversion conversion = convert(stack()
                .network("default", new NetworkDefinition(null, Map.of(), true, false, false, null, Map.of()))
                .network("backend", PLAIN)
                .service("web", service().network("backend")).build());

        assertThat(conversion.resources().networks()).extracting(NetworkResource::key).containsExactly("backend");
    }

    @Test
    void declaredDefaultNetworkSettingsApplyWhenUsed() throws Exception {
        Conversion conversion = convert(stack()
                .network("default", new NetworkDefinition(null, Map.of(), true, false, false, null, Map.of()))
                .service("web", service()).build());

        assertThat(conversion.resources().networks()).singleElement()
                .satisfies(n -> {
                    assertThat(n.name()).isEqualTo("shop_default");
                    assertThat(n.attachable()).isTrue();
                });
    }

    @Test
    void declaredButUnusedNetworksOtherThanDefaultAreCreated() throws Exception {
        Conversion conversion = convert(stack().network("spare", PLAIN).service("web", service()).build());

        assertThat(conversion.resources().networks()).extracting(NetworkResource::name)
                .containsExactly("shop_spare", "shop_default");
    }

    @Test
    void attachmentsAreSortedByTargetWithDeclaredAliasesThenTheServiceKey() throws Exception {
        List<NetworkAttachmentConfig> attachments = only(convert(stack()
                .network("zeta", PLAIN).network("alpha", PLAIN)
                .service("api", service().network("zeta", "api.internal", "backend-api").network("alpha"))
                .build())).spec().getTaskTemplate().getNetworks();

        assertThat(attachments).extracting(NetworkAttachmentConfig::getTarget).containsExactly("shop_alpha", "shop_zeta");
        assertThat(attachments.get(0).getAliases()).containsExactly("api");
        assertThat(attachments.get(1).getAliases()).containsExactly("api.internal", "backend-api", "api");
    }

    @Test
    void undefinedNetworkIsAnErrorAtItsPath() {
        assertThatThrownBy(() -> convert(single(service().network("nowhere"))))
                .isInstanceOfSatisfying(DefinitionException.class, e -> assertThat(e.problems()).singleElement()
                        .satisfies(p -> {
                            assertThat(p.path()).isEqualTo("services.web.networks.nowhere");
                            assertThat(p.message()).contains("undefined network \"nowhere\"");
                        }));
    }

    @Test
    void networkLabelsKeepTheUserLabels() throws Exception {
        NetworkResource network = convert(stack()
                .network("net", new NetworkDefinition(null, Map.of(), false, false, false, null, Map.of("a", "1")))
                .service("web", service().network("net")).build()).resources().networks().getFirst();

        assertThat(network.labels()).contains(entry("a", "1"), entry(Labels.NAMESPACE, "shop"));
    }
}
