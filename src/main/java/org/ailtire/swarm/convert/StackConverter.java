package org.ailtire.swarm.convert;

import org.ailtire.definition.DefinitionException;
import org.ailtire.definition.ServiceDefinition;
import org.ailtire.definition.StackDefinition;
import org.ailtire.stack.ServiceOverrides;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Converts a loaded stack definition into the Engine API objects {@code docker stack deploy --resolve-image never}
 * would create for it, with two deliberate differences: configs and secrets are content-addressed (see
 * {@link FileResource}), and endpoint mode and publish mode default to what the host can route (see
 * {@link NetworkingDefaults}). Pure: it reads nothing but its arguments.
 */
public final class StackConverter {
    private final ConvertOptions options;

    public StackConverter(ConvertOptions options) {
        this.options = Objects.requireNonNull(options, "options");
    }

    /**
     * @param namespace the stack's engine namespace (its docker stack name), {@code [a-z0-9][a-z0-9_-]*}
     * @throws DefinitionException      listing every problem found, each at its path in the definition
     * @throws IllegalArgumentException when the namespace is not a valid stack name
     */
    public Conversion convert(String namespace, StackDefinition definition) throws DefinitionException {
        return convert(namespace, definition, ServiceOverrides.NONE);
    }

    /**
     * With the services the operator scaled or redeployed (see {@link ServiceOverrides}): a scaled service runs that
     * many replicas, a redeployed one carries its count as the engine's {@code ForceUpdate}, so its tasks are replaced.
     * The overrides were checked against the definition (see {@code ServiceOverridesCheck}).
     */
    public Conversion convert(String namespace, StackDefinition definition, ServiceOverrides overrides)
            throws DefinitionException {
        EngineNames names = new EngineNames(namespace);
        StackLabels labels = new StackLabels(namespace, options.stackPath());
        Problems problems = new Problems();

        NetworkConverter networks = new NetworkConverter(names, labels);
        FileObjectConverter files = new FileObjectConverter(names, labels, problems);
        files.convertConfigs(definition.configs());
        files.convertSecrets(definition.secrets());
        MountConverter mounts = new MountConverter(names, labels, problems, definition.volumes());
        ServiceConverter services = new ServiceConverter(names, labels, problems, networks,
                new ContainerConverter(labels, problems, mounts, files),
                new EndpointConverter(options.networking(), problems));

        List<ServiceResource> serviceResources = new ArrayList<>();
        definition.services().forEach((key, service) -> serviceResources.add(services.convert(definition, key,
                scaled(service, overrides.replicas().get(key)), overrides.redeploys().get(key))));
        problems.throwIfErrors();
        StackResources resources = new StackResources(namespace, networks.convert(definition), files.configs(),
                files.secrets(), serviceResources);
        return new Conversion(resources, problems.warnings());
    }

    private static ServiceDefinition scaled(ServiceDefinition service, Integer replicas) {
        return replicas == null ? service : service.withReplicas(replicas);
    }
}
