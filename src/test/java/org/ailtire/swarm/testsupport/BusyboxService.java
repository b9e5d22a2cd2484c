package org.ailtire.swarm.testsupport;

import com.github.dockerjava.api.model.ContainerSpec;
import com.github.dockerjava.api.model.EndpointResolutionMode;
import com.github.dockerjava.api.model.EndpointSpec;
import com.github.dockerjava.api.model.ServiceModeConfig;
import com.github.dockerjava.api.model.ServiceReplicatedModeOptions;
import com.github.dockerjava.api.model.ServiceSpec;
import com.github.dockerjava.api.model.TaskSpec;
import org.ailtire.swarm.Labels;

import java.util.List;
import java.util.Map;

/** Creates a busybox service in a test namespace directly with docker-java, as a stack deployment would. */
public final class BusyboxService {
    private BusyboxService() {
    }

    /** Creates {@code <namespace>_<key>} running {@code sh -c script}; returns the service id. */
    public static String create(TestSwarm swarm, String key, long replicas, String script) {
        var labels = Map.of(Labels.NAMESPACE, swarm.namespace(), Labels.KEY, key);
        ServiceSpec spec = new ServiceSpec()
                .withName(swarm.namespace() + "_" + key)
                .withLabels(labels)
                .withTaskTemplate(new TaskSpec().withContainerSpec(new ContainerSpec()
                        .withImage(TestSwarm.BUSYBOX)
                        .withCommand(List.of("sh", "-c", script))
                        .withLabels(labels)))
                .withMode(new ServiceModeConfig().withReplicated(new ServiceReplicatedModeOptions().withReplicas((int) replicas)))
                .withEndpointSpec(new EndpointSpec().withMode(EndpointResolutionMode.DNSRR));
        return swarm.docker().createServiceCmd(spec).exec().getId();
    }

    /** Sets the replica count of a replicated service. */
    public static void scale(TestSwarm swarm, String serviceId, long replicas) {
        var service = swarm.docker().inspectServiceCmd(serviceId).exec();
        ServiceSpec spec = service.getSpec().withMode(new ServiceModeConfig()
                .withReplicated(new ServiceReplicatedModeOptions().withReplicas((int) replicas)));
        swarm.docker().updateServiceCmd(serviceId, spec).withVersion(service.getVersion().getIndex()).exec();
    }
}
