package org.ailtire.controller;

import com.github.dockerjava.api.model.Network;
import org.ailtire.swarm.Labels;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The demo deployed with {@code --encrypt-control-networks} on the real engine: every network between a parent's and
 * its children's controllers is an encrypted overlay (its options read back from the engine), the tree comes up on
 * them, and the definitions' own networks stay as declared.
 */
@Tag("integration")
class EncryptedControlNetworksIT {
    @Test
    void theLinkNetworksOfTheTreeAreEncryptedOverlays(@TempDir Path temp) throws Exception {
        try (DeployedDemo demo = DeployedDemo.deploy("it-encnet", temp, "[encrypt]", d -> { },
                DeployedDemo.CONTROLLER_IMAGE, List.of("--encrypt-control-networks"))) {
            demo.requireDeployed();
            await().atMost(Duration.ofSeconds(90)).ignoreExceptions().until(() -> DeployedDemo.whole(demo.client.status()));

            List<Network> ours = demo.docker.listNetworksCmd().exec().stream()
                    .filter(n -> n.getLabels() != null && n.getLabels().containsKey(Labels.NAMESPACE)
                            && demo.namespaces().contains(n.getLabels().get(Labels.NAMESPACE)))
                    .map(n -> demo.docker.inspectNetworkCmd().withNetworkId(n.getId()).exec()).toList();
            List<Network> links = ours.stream()
                    .filter(n -> "stack-link".equals(n.getLabels().get(Labels.KIND))).toList();
            System.out.println("[encrypt] networks: " + ours.stream().map(n -> n.getName() + " " + n.getOptions())
                    .toList());
            assertThat(links).extracting(Network::getName).as("the parent network of each stack below the root")
                    .containsExactlyInAnyOrder(demo.app + "_parent", demo.app + "-backend_parent",
                            demo.app + "-backend-db_parent");
            assertThat(links).allSatisfy(n -> {
                assertThat(n.getDriver()).isEqualTo("overlay");
                assertThat(n.getOptions()).containsEntry("encrypted", "");
            });
            assertThat(ours).filteredOn(n -> !links.contains(n)).isNotEmpty()
                    .allSatisfy(n -> assertThat(n.getOptions()).doesNotContainKey("encrypted"));
            assertThat(demo.docker.inspectServiceCmd(demo.app + "-backend_" + "db").exec().getSpec().getTaskTemplate()
                    .getContainerSpec().getEnv()).as("children get the setting")
                    .contains("AILTIRE_ENCRYPT_CONTROL_NETWORKS=true");
        }
    }
}
