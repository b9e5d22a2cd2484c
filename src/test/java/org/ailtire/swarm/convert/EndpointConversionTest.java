package org.ailtire.swarm.convert;

import com.github.dockerjava.api.model.EndpointResolutionMode;
import com.github.dockerjava.api.model.EndpointSpec;
import com.github.dockerjava.api.model.PortConfig;
import com.github.dockerjava.api.model.PortConfigProtocol;
import org.ailtire.definition.DefinitionException;
import org.ailtire.definition.Problem;
import org.ailtire.definition.ServiceDefinition.EndpointMode;
import org.ailtire.definition.ServiceDefinition.Port;
import org.ailtire.definition.ServiceDefinition.Port.PublishMode;
import org.ailtire.definition.StackDefinition;
import org.junit.jupiter.api.Test;

import static org.ailtire.swarm.convert.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EndpointConversionTest {
    private static final NetworkingDefaults FORCED_VIP =
            new NetworkingDefaults(NetworkingDefaults.EndpointModeSetting.VIP, false);
    private static final NetworkingDefaults DNSRR_WITH_IPVS =
            new NetworkingDefaults(NetworkingDefaults.EndpointModeSetting.DNSRR, true);

    private static EndpointSpec endpoint(NetworkingDefaults networking, ServiceBuilder service) throws DefinitionException {
        return only(convert(networking, single(service))).spec().getEndpointSpec();
    }

    private static Problem onlyProblem(NetworkingDefaults networking, StackDefinition definition) {
        try {
            convert(networking, definition);
        } catch (DefinitionException e) {
            assertThat(e.problems()).hasSize(1);
            return e.problems().getFirst();
        }
        throw new AssertionError("expected a DefinitionException");
    }

    @Test
    void unsetEndpointModeIsDnsrrWithoutIpvsAndVipWithIt() throws Exception {
        assertThat(endpoint(NO_IPVS, service()).getMode()).isEqualTo(EndpointResolutionMode.DNSRR);
        assertThat(endpoint(WITH_IPVS, service()).getMode()).isEqualTo(EndpointResolutionMode.VIP);
        assertThat(endpoint(DNSRR_WITH_IPVS, service()).getMode()).isEqualTo(EndpointResolutionMode.DNSRR);
    }

    @Test
    void explicitEndpointModeWins() throws Exception {
        assertThat(endpoint(WITH_IPVS, service().deploy(withEndpointMode(deploy(), EndpointMode.DNSRR))).getMode())
                .isEqualTo(EndpointResolutionMode.DNSRR);
        assertThat(endpoint(WITH_IPVS, service().deploy(withEndpointMode(deploy(), EndpointMode.VIP))).getMode())
                .isEqualTo(EndpointResolutionMode.VIP);
    }

    @Test
    void explicitVipWithoutIpvsIsAnErrorExplainingTheWayOut() {
        Problem problem = onlyProblem(NO_IPVS, single(service().deploy(withEndpointMode(deploy(), EndpointMode.VIP))));

        assertThat(problem.severity()).isEqualTo(Problem.Severity.ERROR);
        assertThat(problem.path()).isEqualTo("services.web.deploy.endpoint_mode");
        assertThat(problem.message()).isEqualTo("vip needs IPVS in the host kernel (no ip_vs module here); "
                + "use endpoint_mode: dnsrr or set AILTIRE_ENDPOINT_MODE=dnsrr");
    }

    @Test
    void vipForcedByTheEnvironmentWithoutIpvsIsAnError() {
        Problem problem = onlyProblem(FORCED_VIP, single(service()));

        assertThat(problem.path()).isEqualTo("services.web.deploy.endpoint_mode");
        assertThat(problem.message()).contains("AILTIRE_ENDPOINT_MODE=vip", "IPVS");
    }

    @Test
    void portsAreCopiedAndSortedByPublishedPort() throws Exception {
        EndpointSpec endpoint = endpoint(NO_IPVS, service()
                .port(new Port(80, 18080, Port.Protocol.TCP, PublishMode.HOST))
                .port(new Port(53, 10053, Port.Protocol.UDP, PublishMode.HOST))
                .port(new Port(9000, null, null, PublishMode.HOST)));

        assertThat(endpoint.getPorts()).extracting(PortConfig::getPublishedPort).containsExactly(0, 10053, 18080);
        assertThat(endpoint.getPorts()).extracting(PortConfig::getTargetPort).containsExactly(9000, 53, 80);
        assertThat(endpoint.getPorts()).extracting(PortConfig::getProtocol)
                .containsExactly(PortConfigProtocol.TCP, PortConfigProtocol.UDP, PortConfigProtocol.TCP);
        assertThat(endpoint.getPorts()).extracting(PortConfig::getPublishMode).containsOnly(PortConfig.PublishMode.host);
    }

    @Test
    void unsetPublishModeIsHostWithoutIpvsWithOneWarningPerService() throws Exception {
        Conversion conversion = convert(NO_IPVS, single(service()
                .port(new Port(80, 18080, null, null))
                .port(new Port(443, 18443, null, null))));

        assertThat(only(conversion).spec().getEndpointSpec().getPorts()).extracting(PortConfig::getPublishMode)
                .containsOnly(PortConfig.PublishMode.host);
        assertThat(conversion.warnings()).singleElement().satisfies(w -> {
            assertThat(w.severity()).isEqualTo(Problem.Severity.WARNING);
            assertThat(w.path()).isEqualTo("services.web.ports");
            assertThat(w.message()).contains("host mode", "IPVS");
        });
    }

    @Test
    void unsetPublishModeIsIngressWithIpvsAndVipWithoutWarning() throws Exception {
        Conversion conversion = convert(WITH_IPVS, single(service().port(new Port(80, 18080, null, null))));

        assertThat(only(conversion).spec().getEndpointSpec().getPorts().getFirst().getPublishMode())
                .isEqualTo(PortConfig.PublishMode.ingress);
        assertThat(conversion.warnings()).isEmpty();
    }

    @Test
    void unsetPublishModeOnADnsrrServiceIsHostEvenWithIpvs() throws Exception {
        Conversion conversion = convert(WITH_IPVS, single(service().port(new Port(80, 18080, null, null))
                .deploy(withEndpointMode(deploy(), EndpointMode.DNSRR))));

        assertThat(only(conversion).spec().getEndpointSpec().getPorts().getFirst().getPublishMode())
                .isEqualTo(PortConfig.PublishMode.host);
        assertThat(conversion.warnings()).singleElement().satisfies(w -> assertThat(w.message()).contains("dnsrr"));
    }

    @Test
    void explicitHostModeGivesNoWarning() throws Exception {
        assertThat(convert(NO_IPVS, single(service().port(new Port(80, 18080, null, PublishMode.HOST)))).warnings())
                .isEmpty();
    }

    @Test
    void explicitIngressWithoutIpvsIsAnError() {
        Problem problem = onlyProblem(NO_IPVS, single(service().port(new Port(80, 18080, null, PublishMode.INGRESS))));

        assertThat(problem.path()).isEqualTo("services.web.ports[0].mode");
        assertThat(problem.message()).contains("routing mesh", "IPVS", "mode: host");
    }

    @Test
    void ingressPortsOnADnsrrServiceAreAnError() {
        Problem problem = onlyProblem(WITH_IPVS, single(service()
                .port(new Port(80, 18080, null, PublishMode.INGRESS))
                .deploy(withEndpointMode(deploy(), EndpointMode.DNSRR))));

        assertThat(problem.path()).isEqualTo("services.web.ports[0].mode");
        assertThat(problem.message()).contains("dnsrr", "ingress");
    }

    @Test
    void noPortsGiveAnEmptyPortList() throws Exception {
        assertThat(endpoint(NO_IPVS, service()).getPorts()).isEmpty();
    }
}
