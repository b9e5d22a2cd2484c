package org.ailtire.swarm.convert;

import com.github.dockerjava.api.model.Driver;
import com.github.dockerjava.api.model.NetworkAttachmentConfig;
import com.github.dockerjava.api.model.ServiceSpec;
import com.github.dockerjava.api.model.TaskSpec;
import org.ailtire.definition.NetworkDefinition;
import org.ailtire.definition.ServiceDefinition;
import org.ailtire.definition.StackDefinition;
import org.ailtire.swarm.Labels;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** One service of the definition as a full ServiceSpec, labelled with the hash of everything else in it. */
final class ServiceConverter {
    /** Engine networks on which containers cannot have aliases (the docker CLI adds none there either). */
    private static final Set<String> BUILT_IN_NETWORKS = Set.of("host", "bridge", "none");

    private final EngineNames names;
    private final StackLabels labels;
    private final Problems problems;
    private final NetworkConverter networks;
    private final ContainerConverter containers;
    private final DeployConverter deploy;
    private final EndpointConverter endpoints;

    ServiceConverter(EngineNames names, StackLabels labels, Problems problems, NetworkConverter networks,
                     ContainerConverter containers, EndpointConverter endpoints) {
        this.names = names;
        this.labels = labels;
        this.problems = problems;
        this.networks = networks;
        this.containers = containers;
        this.deploy = new DeployConverter(problems);
        this.endpoints = endpoints;
    }

    /** @param redeploys how many times the operator redeployed it (its {@code ForceUpdate}); null when never */
    ServiceResource convert(StackDefinition definition, String key, ServiceDefinition service, Integer redeploys) {
        String path = "services." + key;
        String nameProblem = names.serviceNameProblem(key);
        if (nameProblem != null) {
            problems.error(path, nameProblem);
        }
        String name = names.scoped(key);
        String deployPath = path + ".deploy";
        ServiceDefinition.Deploy settings = service.deploy();

        Map<String, String> serviceLabels = labels.forObject(key, settings.labels());
        serviceLabels.put(Labels.STACK_IMAGE, service.image());
        TaskSpec task = new TaskSpec()
                .withContainerSpec(containers.convert(path, key, service))
                .withResources(deploy.resources(deployPath, settings.resources()))
                .withRestartPolicy(DeployConverter.restartPolicy(settings.restartPolicy()))
                .withPlacement(DeployConverter.placement(settings.placement()))
                .withLogDriver(logDriver(service.options().logging()))
                .withNetworks(attachments(definition, path, key, service))
                .withForceUpdate(redeploys);
        ServiceSpec spec = new ServiceSpec()
                .withName(name)
                .withLabels(serviceLabels)
                .withTaskTemplate(task)
                .withMode(deploy.mode(deployPath, settings))
                .withUpdateConfig(DeployConverter.updateConfig(settings.updateConfig()))
                .withRollbackConfig(DeployConverter.updateConfig(settings.rollbackConfig()))
                .withEndpointSpec(endpoints.convert(path, service));

        if (settings.mode() != null && settings.mode().isJob()) {
            refuseUpdateConfigForJob(deployPath, settings);
        }
        String hash = SpecHash.of(spec);
        serviceLabels.put(Labels.SPEC_HASH, hash);
        return new ServiceResource(name, key, spec, hash);
    }

    private static Driver logDriver(ServiceDefinition.Logging logging) {
        return logging == null ? null
                : new Driver().withName(logging.driver()).withOptions(logging.options().isEmpty() ? null : logging.options());
    }

    /** The engine refuses update and rollback settings for a job: a job is run again, never rolled. */
    private void refuseUpdateConfigForJob(String deployPath, ServiceDefinition.Deploy settings) {
        if (settings.updateConfig() != null) {
            problems.error(deployPath + ".update_config", "not supported for jobs (mode " + modeName(settings) + ")");
        }
        if (settings.rollbackConfig() != null) {
            problems.error(deployPath + ".rollback_config", "not supported for jobs (mode " + modeName(settings) + ")");
        }
    }

    private static String modeName(ServiceDefinition.Deploy settings) {
        return settings.mode().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    /** Task networks sorted by engine name (like the docker CLI); aliases: declared ones, then the service key. */
    private List<NetworkAttachmentConfig> attachments(StackDefinition definition, String path, String key,
                                                      ServiceDefinition service) {
        List<NetworkAttachmentConfig> result = new ArrayList<>();
        NetworkConverter.networksOf(service).forEach((networkKey, attachment) -> {
            NetworkDefinition network = NetworkConverter.lookup(definition, networkKey);
            if (network == null) {
                problems.error(path + ".networks." + networkKey, "undefined network \"" + networkKey
                        + "\": declare it under the top-level networks");
                return;
            }
            String target = networks.engineName(networkKey, network);
            List<String> aliases = new ArrayList<>(attachment == null ? List.of() : attachment.aliases());
            if (!BUILT_IN_NETWORKS.contains(target)) {
                aliases.add(key);
            }
            NetworkAttachmentConfig config = attachment == null || attachment.driverOpts().isEmpty()
                    ? new NetworkAttachmentConfig() : new AttachmentWithDriverOpts(attachment.driverOpts());
            result.add(config.withTarget(target).withAliases(aliases.isEmpty() ? null : aliases));
        });
        result.sort(Comparator.comparing(NetworkAttachmentConfig::getTarget));
        return result;
    }
}
