package org.ailtire.swarm.convert;

import com.github.dockerjava.api.model.ContainerSpec;
import com.github.dockerjava.api.model.HealthCheck;
import com.github.dockerjava.api.model.Mount;
import com.github.dockerjava.api.model.MountType;
import com.github.dockerjava.api.model.ResourceSpecs;
import com.github.dockerjava.api.model.ServiceRestartCondition;
import com.github.dockerjava.api.model.ServiceSpec;
import com.github.dockerjava.api.model.UpdateFailureAction;
import com.github.dockerjava.api.model.UpdateOrder;
import org.ailtire.definition.DefinitionException;
import org.ailtire.definition.ServiceDefinition.Healthcheck;
import org.ailtire.definition.ServiceDefinition.Mode;
import org.ailtire.definition.ServiceDefinition.Placement;
import org.ailtire.definition.ServiceDefinition.ResourceAmount;
import org.ailtire.definition.ServiceDefinition.Resources;
import org.ailtire.definition.ServiceDefinition.RestartPolicy;
import org.ailtire.definition.ServiceDefinition.UpdateConfig;
import org.ailtire.definition.ServiceDefinition.VolumeMount;
import org.ailtire.definition.StackDefinition;
import org.ailtire.definition.VolumeDefinition;
import org.ailtire.stack.ServiceOverrides;
import org.ailtire.swarm.Labels;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.ailtire.swarm.convert.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

class ServiceConversionTest {

    private static ServiceSpec spec(ServiceBuilder service) throws DefinitionException {
        return only(convert(single(service))).spec();
    }

    private static ContainerSpec container(ServiceBuilder service) throws DefinitionException {
        return spec(service).getTaskTemplate().getContainerSpec();
    }

    @Test
    void serviceIsNamedNamespaceUnderscoreKeyAndRunsTheImageAsWritten() throws Exception {
        ServiceResource web = only(convert(single(service().image("nginx:1.27"))));

        assertThat(web.name()).isEqualTo("shop_web");
        assertThat(web.key()).isEqualTo("web");
        assertThat(web.spec().getName()).isEqualTo("shop_web");
        assertThat(web.spec().getTaskTemplate().getContainerSpec().getImage()).isEqualTo("nginx:1.27");
    }

    @Test
    void serviceLabelsAreDeployLabelsPlusStackNamespaceImageAndOurs() throws Exception {
        ServiceResource web = only(convert(single(service().image("nginx:1.27")
                .deploy(withLabels(deploy(), Map.of("team", "blue"))))));

        assertThat(web.spec().getLabels()).containsOnly(
                entry("team", "blue"),
                entry(Labels.NAMESPACE, "shop"),
                entry(Labels.STACK_IMAGE, "nginx:1.27"),
                entry(Labels.MANAGED, "true"),
                entry(Labels.STACK_PATH, "/app/shop"),
                entry(Labels.KEY, "web"),
                entry(Labels.SPEC_HASH, web.specHash()));
    }

    @Test
    void ourLabelsWinOverUserLabelsOfTheSameName() throws Exception {
        ServiceSpec spec = spec(service().deploy(withLabels(deploy(), Map.of(Labels.NAMESPACE, "other"))));

        assertThat(spec.getLabels()).containsEntry(Labels.NAMESPACE, "shop");
    }

    @Test
    void containerLabelsAreServiceLabelsPlusNamespaceAndOurs() throws Exception {
        ContainerSpec container = container(service().label("tier", "front"));

        assertThat(container.getLabels()).containsOnly(
                entry("tier", "front"),
                entry(Labels.NAMESPACE, "shop"),
                entry(Labels.MANAGED, "true"),
                entry(Labels.STACK_PATH, "/app/shop"),
                entry(Labels.KEY, "web"));
    }

    @Test
    void entrypointBecomesCommandAndCommandBecomesArgsLikeTheDockerCli() throws Exception {
        ContainerSpec container = container(service().entrypoint("/bin/sh", "-c").command("echo hi"));

        assertThat(container.getCommand()).containsExactly("/bin/sh", "-c");
        assertThat(container.getArgs()).containsExactly("echo hi");
    }

    @Test
    void unsetCommandAndEntrypointKeepTheImageDefaults() throws Exception {
        ContainerSpec container = container(service());

        assertThat(container.getCommand()).isNull();
        assertThat(container.getArgs()).isNull();
    }

    @Test
    void environmentBecomesSortedKeyValueEntriesLikeTheDockerCli() throws Exception {
        ContainerSpec container = container(service().env("ZED", "1").env("ALPHA", "a=b").env("EMPTY", ""));

        assertThat(container.getEnv()).containsExactly("ALPHA=a=b", "EMPTY=", "ZED=1");
    }

    @Test
    void processSettingsAreCopied() throws Exception {
        ContainerSpec container = container(service().user("1000:1000").workingDir("/srv").hostname("web-1")
                .stopSignal("SIGINT").stopGracePeriod(Duration.ofSeconds(30)));

        assertThat(container.getUser()).isEqualTo("1000:1000");
        assertThat(container.getDir()).isEqualTo("/srv");
        assertThat(container.getHostname()).isEqualTo("web-1");
        assertThat(container.getStopSignal()).isEqualTo("SIGINT");
        assertThat(container.getStopGracePeriod()).isEqualTo(30_000_000_000L);
    }

    @Test
    void extraHostsBecomeIpSpaceHostInFileOrder() throws Exception {
        ContainerSpec container = container(service().extraHost("db:10.0.0.5").extraHost("v6:::1")
                .extraHost("other=10.0.0.6"));

        assertThat(container.getHosts()).containsExactly("10.0.0.5 db", "::1 v6", "10.0.0.6 other");
    }

    @Test
    void malformedExtraHostIsAnErrorAtItsPath() {
        assertThatThrownBy(() -> convert(single(service().extraHost("nocolon"))))
                .isInstanceOfSatisfying(DefinitionException.class, e -> assertThat(e.problems())
                        .anySatisfy(p -> assertThat(p.path()).isEqualTo("services.web.extra_hosts[0]")));
    }

    @Test
    void healthcheckDurationsAreNanoseconds() throws Exception {
        HealthCheck check = container(service().healthcheck(new Healthcheck(List.of("CMD", "true"),
                Duration.ofSeconds(10), Duration.ofSeconds(2), 3, Duration.ofMillis(1500), false))).getHealthCheck();

        assertThat(check.getTest()).containsExactly("CMD", "true");
        assertThat(check.getInterval()).isEqualTo(10_000_000_000L);
        assertThat(check.getTimeout()).isEqualTo(2_000_000_000L);
        assertThat(check.getRetries()).isEqualTo(3);
        assertThat(check.getStartPeriod()).isEqualTo(1_500_000_000L);
    }

    @Test
    void disabledHealthcheckIsTestNone() throws Exception {
        HealthCheck check = container(service().healthcheck(new Healthcheck(List.of(), null, null, null, null, true)))
                .getHealthCheck();

        assertThat(check.getTest()).containsExactly("NONE");
        assertThat(check.getInterval()).isNull();
    }

    @Test
    void disabledHealthcheckWithATestIsAnError() {
        assertThatThrownBy(() -> convert(single(service().healthcheck(
                new Healthcheck(List.of("CMD", "true"), null, null, null, null, true)))))
                .isInstanceOfSatisfying(DefinitionException.class, e -> assertThat(e.problems())
                        .anySatisfy(p -> assertThat(p.path()).isEqualTo("services.web.healthcheck")));
    }

    @Test
    void namedVolumeIsNamespacedAndLabelledWithTheStack() throws Exception {
        StackDefinition definition = stack()
                .volume("data", new VolumeDefinition("local", Map.of("type", "tmpfs"), false, null, Map.of("k", "v")))
                .service("web", service().volume(new VolumeMount(VolumeMount.Type.VOLUME, "data", "/data", true)))
                .build();

        Mount mount = only(convert(definition)).spec().getTaskTemplate().getContainerSpec().getMounts().getFirst();

        assertThat(mount.getType()).isEqualTo(MountType.VOLUME);
        assertThat(mount.getSource()).isEqualTo("shop_data");
        assertThat(mount.getTarget()).isEqualTo("/data");
        assertThat(mount.getReadOnly()).isTrue();
        assertThat(mount.getVolumeOptions().getLabels()).containsOnly(entry("k", "v"), entry(Labels.NAMESPACE, "shop"),
                entry(Labels.MANAGED, "true"), entry(Labels.STACK_PATH, "/app/shop"), entry(Labels.KEY, "data"));
        assertThat(mount.getVolumeOptions().getDriverConfig().getName()).isEqualTo("local");
        assertThat(mount.getVolumeOptions().getDriverConfig().getOptions()).containsOnly(entry("type", "tmpfs"));
    }

    @Test
    void namedVolumeWithoutDriverHasNoDriverConfig() throws Exception {
        StackDefinition definition = stack().volume("data", new VolumeDefinition(null, Map.of(), false, null, Map.of()))
                .service("web", service().volume(new VolumeMount(VolumeMount.Type.VOLUME, "data", "/data", false)))
                .build();

        Mount mount = only(convert(definition)).spec().getTaskTemplate().getContainerSpec().getMounts().getFirst();

        assertThat(mount.getVolumeOptions().getDriverConfig()).isNull();
        assertThat(mount.getReadOnly()).isNull();
    }

    @Test
    void volumeWithNameKeepsItAndExternalVolumeIsUsedAsIs() throws Exception {
        StackDefinition definition = stack()
                .volume("named", new VolumeDefinition(null, Map.of(), false, "shared-data", Map.of()))
                .volume("ext", new VolumeDefinition(null, Map.of(), true, null, Map.of()))
                .volume("extnamed", new VolumeDefinition(null, Map.of(), true, "legacy", Map.of()))
                .service("web", service()
                        .volume(new VolumeMount(VolumeMount.Type.VOLUME, "named", "/a", false))
                        .volume(new VolumeMount(VolumeMount.Type.VOLUME, "ext", "/b", false))
                        .volume(new VolumeMount(VolumeMount.Type.VOLUME, "extnamed", "/c", false)))
                .build();

        List<Mount> mounts = only(convert(definition)).spec().getTaskTemplate().getContainerSpec().getMounts();

        assertThat(mounts).extracting(Mount::getSource).containsExactly("shared-data", "ext", "legacy");
        assertThat(mounts.get(0).getVolumeOptions().getLabels()).containsEntry(Labels.NAMESPACE, "shop");
        assertThat(mounts.get(1).getVolumeOptions()).isNull();
    }

    @Test
    void anonymousVolumeBindAndTmpfsMounts() throws Exception {
        List<Mount> mounts = container(service()
                .volume(new VolumeMount(VolumeMount.Type.VOLUME, null, "/cache", false))
                .volume(new VolumeMount(VolumeMount.Type.BIND, "/etc/hosts", "/hosts", true))
                .volume(new VolumeMount(VolumeMount.Type.TMPFS, null, "/tmp", false))).getMounts();

        assertThat(mounts).extracting(Mount::getType).containsExactly(MountType.VOLUME, MountType.BIND, MountType.TMPFS);
        assertThat(mounts).extracting(Mount::getSource).containsExactly(null, "/etc/hosts", null);
        assertThat(mounts).extracting(Mount::getTarget).containsExactly("/cache", "/hosts", "/tmp");
        assertThat(mounts).extracting(Mount::getReadOnly).containsExactly(null, true, null);
    }

    @Test
    void undefinedVolumeBindWithoutSourceAndTmpfsWithSourceAreErrors() {
        assertThatThrownBy(() -> convert(single(service()
                .volume(new VolumeMount(VolumeMount.Type.VOLUME, "nowhere", "/a", false))
                .volume(new VolumeMount(VolumeMount.Type.BIND, null, "/b", false))
                .volume(new VolumeMount(VolumeMount.Type.TMPFS, "x", "/c", false)))))
                .isInstanceOfSatisfying(DefinitionException.class, e -> assertThat(e.problems())
                        .extracting(p -> p.path() + ": " + p.message())
                        .containsExactly(
                                "services.web.volumes[0]: undefined volume \"nowhere\": declare it under the top-level volumes",
                                "services.web.volumes[1]: a bind mount needs a source path on the host",
                                "services.web.volumes[2]: a tmpfs mount takes no source, got \"x\""));
    }

    @Test
    void resourcesAreNanoCpusMemoryBytesAndPidsLimit() throws Exception {
        ServiceSpec spec = spec(service().deploy(withResources(deploy(), new Resources(
                new ResourceAmount(500_000_000L, 64L * 1024 * 1024, 100L),
                new ResourceAmount(250_000_000L, 32L * 1024 * 1024, null)))));

        ResourceSpecs limits = spec.getTaskTemplate().getResources().getLimits();
        ResourceSpecs reservations = spec.getTaskTemplate().getResources().getReservations();
        assertThat(limits.getNanoCPUs()).isEqualTo(500_000_000L);
        assertThat(limits.getMemoryBytes()).isEqualTo(64L * 1024 * 1024);
        assertThat(limits).isInstanceOfSatisfying(LimitsWithPids.class, l -> assertThat(l.getPids()).isEqualTo(100));
        assertThat(reservations.getNanoCPUs()).isEqualTo(250_000_000L);
        assertThat(reservations.getMemoryBytes()).isEqualTo(32L * 1024 * 1024);
        assertThat(SpecHash.canonicalJson(spec)).contains("\"Pids\":100");
    }

    @Test
    void reservedPidsAreAnError() {
        assertThatThrownBy(() -> convert(single(service().deploy(withResources(deploy(),
                new Resources(null, new ResourceAmount(null, null, 5L)))))))
                .isInstanceOfSatisfying(DefinitionException.class, e -> assertThat(e.problems())
                        .singleElement().satisfies(p -> assertThat(p.path())
                                .isEqualTo("services.web.deploy.resources.reservations.pids")));
    }

    @Test
    void noResourcesNoRestartPolicyNoPlacementNoUpdateConfigWhenUnset() throws Exception {
        ServiceSpec spec = spec(service());

        assertThat(spec.getTaskTemplate().getResources()).isNull();
        assertThat(spec.getTaskTemplate().getRestartPolicy()).isNull();
        assertThat(spec.getTaskTemplate().getPlacement()).isNull();
        assertThat(spec.getUpdateConfig()).isNull();
        assertThat(spec.getRollbackConfig()).isNull();
    }

    @Test
    void restartPolicyIsCopiedWithDurationsInNanos() throws Exception {
        var policy = spec(service().deploy(withRestartPolicy(deploy(), new RestartPolicy(
                RestartPolicy.Condition.ON_FAILURE, Duration.ofSeconds(5), 3, Duration.ofMinutes(2)))))
                .getTaskTemplate().getRestartPolicy();

        assertThat(policy.getCondition()).isEqualTo(ServiceRestartCondition.ON_FAILURE);
        assertThat(policy.getDelay()).isEqualTo(5_000_000_000L);
        assertThat(policy.getMaxAttempts()).isEqualTo(3L);
        assertThat(policy.getWindow()).isEqualTo(120_000_000_000L);
    }

    @Test
    void placementHasConstraintsSpreadPreferencesAndMaxReplicasPerNode() throws Exception {
        ServiceSpec spec = spec(service().deploy(withPlacement(deploy(), new Placement(
                List.of("node.role == manager"), List.of("node.labels.zone"), 2))));

        var placement = spec.getTaskTemplate().getPlacement();
        assertThat(placement.getConstraints()).containsExactly("node.role == manager");
        assertThat(placement.getMaxReplicas()).isEqualTo(2);
        assertThat(placement).isInstanceOfSatisfying(PlacementWithPreferences.class, p -> assertThat(p.getPreferences())
                .containsExactly(PlacementWithPreferences.Preference.spread("node.labels.zone")));
        assertThat(SpecHash.canonicalJson(spec))
                .contains("\"Preferences\":[{\"Spread\":{\"SpreadDescriptor\":\"node.labels.zone\"}}]");
    }

    @Test
    void updateAndRollbackConfigsAreCopied() throws Exception {
        ServiceSpec spec = spec(service().deploy(withUpdate(deploy(),
                new UpdateConfig(2, Duration.ofSeconds(10), UpdateConfig.FailureAction.ROLLBACK, Duration.ofSeconds(15),
                        0.25, UpdateConfig.Order.START_FIRST),
                new UpdateConfig(null, null, UpdateConfig.FailureAction.PAUSE, null, null, UpdateConfig.Order.STOP_FIRST))));

        var update = spec.getUpdateConfig();
        assertThat(update.getParallelism()).isEqualTo(2L);
        assertThat(update.getDelay()).isEqualTo(10_000_000_000L);
        assertThat(update.getFailureAction()).isEqualTo(UpdateFailureAction.ROLLBACK);
        assertThat(update.getMonitor()).isEqualTo(15_000_000_000L);
        assertThat(update.getMaxFailureRatio()).isEqualTo(0.25f);
        assertThat(update.getOrder()).isEqualTo(UpdateOrder.START_FIRST);
        var rollback = spec.getRollbackConfig();
        assertThat(rollback.getParallelism()).as("the docker CLI's default").isEqualTo(1L);
        assertThat(rollback.getFailureAction()).isEqualTo(UpdateFailureAction.PAUSE);
        assertThat(rollback.getOrder()).isEqualTo(UpdateOrder.STOP_FIRST);
        assertThat(SpecHash.canonicalJson(spec)).contains("\"Order\":\"start-first\"", "\"Order\":\"stop-first\"");
    }

    @Test
    void replicatedWithOneReplicaByDefault() throws Exception {
        var mode = spec(service()).getMode();

        assertThat(mode.getReplicated().getReplicas()).isEqualTo(1);
        assertThat(mode.getGlobal()).isNull();
    }

    @Test
    void replicasAreCopied() throws Exception {
        assertThat(spec(service().deploy(withReplicas(deploy(), 3))).getMode().getReplicated().getReplicas()).isEqualTo(3);
    }

    @Test
    void globalMode() throws Exception {
        var mode = spec(service().deploy(withMode(deploy(), Mode.GLOBAL))).getMode();

        assertThat(mode.getGlobal()).isNotNull();
        assertThat(mode.getReplicated()).isNull();
    }

    @Test
    void globalModeWithReplicasIsAnError() {
        assertThatThrownBy(() -> convert(single(service().deploy(withReplicas(withMode(deploy(), Mode.GLOBAL), 2)))))
                .isInstanceOfSatisfying(DefinitionException.class, e -> assertThat(e.problems())
                        .singleElement().satisfies(p -> assertThat(p.path()).isEqualTo("services.web.deploy.replicas")));
    }

    @Test
    void missingImageIsAnError() {
        assertThatThrownBy(() -> convert(single(service().image(null))))
                .isInstanceOfSatisfying(DefinitionException.class, e -> assertThat(e.problems())
                        .singleElement().satisfies(p -> assertThat(p.path()).isEqualTo("services.web.image")));
    }

    @Test
    void serviceEngineNameOfSixtyThreeCharactersIsAcceptedAndSixtyFourIsNot() throws Exception {
        String fits = "k".repeat(63 - "shop_".length());
        assertThat(only(convert(stack().service(fits, service()).build())).name()).hasSize(63);

        String tooLong = fits + "k";
        assertThatThrownBy(() -> convert(stack().service(tooLong, service()).build()))
                .isInstanceOfSatisfying(DefinitionException.class, e -> assertThat(e.problems())
                        .singleElement().satisfies(p -> {
                            assertThat(p.path()).isEqualTo("services." + tooLong);
                            assertThat(p.message()).contains("64 characters", "at most 63");
                        }));
    }

    @Test
    void invalidNamespaceIsRefused() {
        StackConverter converter = new StackConverter(new ConvertOptions(STACK_PATH, NO_IPVS));
        StackDefinition definition = single(service());

        assertThatThrownBy(() -> converter.convert("Shop", definition)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Shop");
        assertThatThrownBy(() -> converter.convert("_shop", definition)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        assertThatThrownBy(() -> convert(stack()
                .service("a", service().image(null))
                .service("b", service().network("missing"))
                .build()))
                .isInstanceOfSatisfying(DefinitionException.class, e -> assertThat(e.problems())
                        .extracting(org.ailtire.definition.Problem::path)
                        .containsExactly("services.a.image", "services.b.networks.missing"));
    }

    @Test
    void aScaledServiceRunsItsReplicasAndARedeployedOneCarriesItsCountAsForceUpdateBothChangingTheHash()
            throws Exception {
        StackDefinition definition = stack().service("web", service().deploy(withReplicas(deploy(), 2)))
                .service("api", service()).build();
        StackConverter converter = new StackConverter(new ConvertOptions(STACK_PATH, NO_IPVS));
        List<ServiceResource> plain = converter.convert(NS, definition).resources().services();
        List<ServiceResource> changed = converter.convert(NS, definition,
                ServiceOverrides.NONE.scaled("web", 5).redeployed("api").redeployed("api")).resources().services();

        assertThat(changed.get(0).spec().getMode().getReplicated().getReplicas()).isEqualTo(5);
        assertThat(changed.get(0).spec().getTaskTemplate().getForceUpdate()).isNull();
        assertThat(changed.get(1).spec().getTaskTemplate().getForceUpdate()).isEqualTo(2);
        assertThat(plain.get(1).spec().getTaskTemplate().getForceUpdate()).isNull();
        assertThat(changed.get(0).specHash()).isNotEqualTo(plain.get(0).specHash());
        assertThat(changed.get(1).specHash()).isNotEqualTo(plain.get(1).specHash());
    }
}
