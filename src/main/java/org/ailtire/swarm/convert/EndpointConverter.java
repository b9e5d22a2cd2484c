package org.ailtire.swarm.convert;

import com.github.dockerjava.api.model.EndpointResolutionMode;
import com.github.dockerjava.api.model.EndpointSpec;
import com.github.dockerjava.api.model.PortConfig;
import com.github.dockerjava.api.model.PortConfigProtocol;
import org.ailtire.definition.ServiceDefinition;
import org.ailtire.definition.ServiceDefinition.EndpointMode;
import org.ailtire.definition.ServiceDefinition.Port;
import org.ailtire.definition.ServiceDefinition.Port.PublishMode;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The endpoint spec: how the service's name resolves (vip or dnsrr) and its published ports. Both virtual IPs and
 * the ingress routing mesh need IPVS in the host kernel; without it the converter refuses them when the file asks
 * for them, and otherwise chooses dnsrr and host-mode publishing.
 */
final class EndpointConverter {
    private static final String NO_IPVS = "needs IPVS in the host kernel (no ip_vs module here)";

    private final NetworkingDefaults networking;
    private final Problems problems;

    EndpointConverter(NetworkingDefaults networking, Problems problems) {
        this.networking = networking;
        this.problems = problems;
    }

    EndpointSpec convert(String servicePath, ServiceDefinition service) {
        boolean vip = vip(servicePath + ".deploy.endpoint_mode", service.deploy().endpointMode());
        List<PortConfig> ports = new ArrayList<>();
        boolean hostModeChosen = false;
        for (int i = 0; i < service.ports().size(); i++) {
            Port port = service.ports().get(i);
            PublishMode mode = port.mode();
            String modePath = servicePath + ".ports[" + i + "].mode";
            if (mode == null) {
                mode = networking.ipvsAvailable() && vip ? PublishMode.INGRESS : PublishMode.HOST;
                hostModeChosen |= mode == PublishMode.HOST;
            } else if (mode == PublishMode.INGRESS && !networking.ipvsAvailable()) {
                problems.error(modePath, "ingress publishing uses the routing mesh, which " + NO_IPVS
                        + "; use mode: host");
            } else if (mode == PublishMode.INGRESS && !vip) {
                problems.error(modePath, "swarm refuses ingress-published ports on a service with endpoint_mode: dnsrr;"
                        + " use mode: host, or endpoint_mode: vip");
            }
            ports.add(portConfig(port, mode));
        }
        if (hostModeChosen) {
            problems.warning(servicePath + ".ports", "published in host mode (the port is open only on nodes running"
                    + " a task) because " + (networking.ipvsAvailable()
                    ? "the routing mesh cannot serve a service with endpoint_mode dnsrr"
                    : "the routing mesh " + NO_IPVS) + "; set mode: host on the ports to make this explicit");
        }
        // Sorted like the docker CLI, so reordering ports in the file does not restart the service.
        ports.sort(Comparator.comparingInt(PortConfig::getPublishedPort).thenComparingInt(PortConfig::getTargetPort)
                .thenComparing(p -> p.getProtocol().name()));
        return new EndpointSpec().withMode(vip ? EndpointResolutionMode.VIP : EndpointResolutionMode.DNSRR)
                .withPorts(ports);
    }

    private boolean vip(String path, EndpointMode explicit) {
        if (explicit == EndpointMode.DNSRR) {
            return false;
        }
        if (explicit == EndpointMode.VIP) {
            if (!networking.ipvsAvailable()) {
                problems.error(path, "vip " + NO_IPVS + "; use endpoint_mode: dnsrr or set "
                        + NetworkingDefaults.ENDPOINT_MODE_VARIABLE + "=dnsrr");
            }
            return true;
        }
        boolean vip = networking.defaultsToVip();
        if (vip && !networking.ipvsAvailable()) {
            problems.error(path, "not set, and " + NetworkingDefaults.ENDPOINT_MODE_VARIABLE + "=vip makes it vip, which "
                    + NO_IPVS + "; set " + NetworkingDefaults.ENDPOINT_MODE_VARIABLE + " to auto or dnsrr");
        }
        return vip;
    }

    private static PortConfig portConfig(Port port, PublishMode mode) {
        PortConfig config = new PortConfig()
                .withTargetPort(port.target())
                .withPublishedPort(port.published() == null ? 0 : port.published())
                .withProtocol(switch (port.protocol() == null ? Port.Protocol.TCP : port.protocol()) {
                    case TCP -> PortConfigProtocol.TCP;
                    case UDP -> PortConfigProtocol.UDP;
                    case SCTP -> PortConfigProtocol.SCTP;
                });
        return config.withPublishMode(mode == PublishMode.HOST ? PortConfig.PublishMode.host : PortConfig.PublishMode.ingress);
    }
}
