package org.ailtire.swarm.apply;

import com.github.dockerjava.api.model.ContainerSpec;
import com.github.dockerjava.api.model.ContainerSpecConfig;
import com.github.dockerjava.api.model.ResourceRequirements;
import com.github.dockerjava.api.model.ServiceSpec;
import com.github.dockerjava.api.model.TaskSpec;
import com.github.dockerjava.core.DockerClientConfig;
import org.ailtire.swarm.convert.LimitsWithPids;
import org.ailtire.swarm.convert.PlacementWithPreferences;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SpecReferencesTest {

    @Test
    void resolvedCopyKeepsTheFieldsDockerJavaLacksAndTheOriginalStaysUnresolved() throws Exception {
        ServiceSpec spec = new ServiceSpec().withName("ns_web").withTaskTemplate(new TaskSpec()
                .withContainerSpec(new ContainerSpec().withImage("busybox")
                        .withConfigs(List.of(new ContainerSpecConfig().withConfigName("ns_app_1234"))))
                .withPlacement(new PlacementWithPreferences(List.of(PlacementWithPreferences.Preference.spread("node.labels.zone"))))
                .withResources(new ResourceRequirements().withLimits(new LimitsWithPids(100))));

        ServiceSpec resolved = SpecReferences.resolve(spec, Map.of("ns_app_1234", "configid"), Map.of());

        String json = DockerClientConfig.getDefaultObjectMapper().writeValueAsString(resolved);
        assertThat(json).contains("\"Preferences\":[{\"Spread\":{\"SpreadDescriptor\":\"node.labels.zone\"}}]")
                .contains("\"Pids\":100").contains("\"ConfigID\":\"configid\"");
        assertThat(spec.getTaskTemplate().getContainerSpec().getConfigs().getFirst().getConfigID()).isNull();
    }
}
