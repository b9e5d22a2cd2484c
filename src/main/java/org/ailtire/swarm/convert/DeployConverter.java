package org.ailtire.swarm.convert;

import com.github.dockerjava.api.model.ResourceRequirements;
import com.github.dockerjava.api.model.ResourceSpecs;
import com.github.dockerjava.api.model.ServiceGlobalModeOptions;
import com.github.dockerjava.api.model.ServiceModeConfig;
import com.github.dockerjava.api.model.ServicePlacement;
import com.github.dockerjava.api.model.ServiceReplicatedModeOptions;
import com.github.dockerjava.api.model.ServiceRestartCondition;
import com.github.dockerjava.api.model.ServiceRestartPolicy;
import com.github.dockerjava.api.model.UpdateConfig;
import com.github.dockerjava.api.model.UpdateFailureAction;
import com.github.dockerjava.api.model.UpdateOrder;
import org.ailtire.definition.ServiceDefinition.Deploy;
import org.ailtire.definition.ServiceDefinition.Mode;
import org.ailtire.definition.ServiceDefinition.Placement;
import org.ailtire.definition.ServiceDefinition.ResourceAmount;
import org.ailtire.definition.ServiceDefinition.Resources;
import org.ailtire.definition.ServiceDefinition.RestartPolicy;

import java.time.Duration;

/** The scheduling parts of {@code deploy:}: mode, resources, restart policy, placement, update and rollback. */
final class DeployConverter {
    /** The docker CLI updates one task at a time when {@code parallelism} is not set. */
    static final long DEFAULT_PARALLELISM = 1;

    private final Problems problems;

    DeployConverter(Problems problems) {
        this.problems = problems;
    }

    ServiceModeConfig mode(String deployPath, Deploy deploy) {
        Mode mode = deploy.mode() == null ? Mode.REPLICATED : deploy.mode();
        if ((mode == Mode.GLOBAL || mode == Mode.GLOBAL_JOB) && deploy.replicas() != null) {
            problems.error(deployPath + ".replicas", "replicas can only be used with mode replicated or replicated-job");
        }
        if (mode == Mode.GLOBAL) {
            return new ServiceModeConfig().withGlobal(new ServiceGlobalModeOptions());
        }
        if (mode == Mode.GLOBAL_JOB) {
            return ModeWithJobs.globalJob();
        }
        if (mode == Mode.REPLICATED_JOB) {
            return ModeWithJobs.replicatedJob(deploy.replicas() == null ? null : deploy.replicas().longValue());
        }
        int replicas = deploy.replicas() == null ? 1 : deploy.replicas();
        return new ServiceModeConfig().withReplicated(new ServiceReplicatedModeOptions().withReplicas(replicas));
    }

    ResourceRequirements resources(String deployPath, Resources resources) {
        if (resources == null) {
            return null;
        }
        if (resources.limits() != null && !resources.limits().genericResources().isEmpty()) {
            problems.error(deployPath + ".resources.limits.generic_resources", "swarm can only reserve generic resources:"
                    + " move them to resources.reservations");
        }
        ResourceRequirements result = new ResourceRequirements();
        if (resources.limits() != null) {
            ResourceAmount limits = resources.limits();
            ResourceSpecs specs = limits.pids() == null ? new ResourceSpecs() : new LimitsWithPids(limits.pids());
            result.withLimits(amounts(specs, limits));
        }
        if (resources.reservations() != null) {
            ResourceAmount reservations = resources.reservations();
            if (reservations.pids() != null) {
                problems.error(deployPath + ".resources.reservations.pids",
                        "swarm can only limit process ids, not reserve them: move pids to resources.limits");
            }
            ResourceSpecs specs = reservations.genericResources().isEmpty() ? new ResourceSpecs()
                    : new ReservationsWithGenericResources(reservations.genericResources().stream()
                    .map(r -> ReservationsWithGenericResources.GenericResource.discrete(r.kind(), r.value())).toList());
            result.withReservations(amounts(specs, reservations));
        }
        return result;
    }

    static ServiceRestartPolicy restartPolicy(RestartPolicy policy) {
        if (policy == null) {
            return null;
        }
        ServiceRestartPolicy result = new ServiceRestartPolicy()
                .withDelay(nanos(policy.delay()))
                .withWindow(nanos(policy.window()))
                .withMaxAttempts(policy.maxAttempts() == null ? null : policy.maxAttempts().longValue());
        if (policy.condition() != null) {
            result.withCondition(switch (policy.condition()) {
                case NONE -> ServiceRestartCondition.NONE;
                case ON_FAILURE -> ServiceRestartCondition.ON_FAILURE;
                case ANY -> ServiceRestartCondition.ANY;
            });
        }
        return result;
    }

    static ServicePlacement placement(Placement placement) {
        if (placement == null) {
            return null;
        }
        ServicePlacement result = placement.preferences().isEmpty() ? new ServicePlacement()
                : new PlacementWithPreferences(placement.preferences().stream()
                        .map(PlacementWithPreferences.Preference::spread).toList());
        if (!placement.constraints().isEmpty()) {
            result.withConstraints(placement.constraints());
        }
        if (placement.maxReplicasPerNode() != null) {
            result.withMaxReplicas(placement.maxReplicasPerNode());
        }
        return result;
    }

    /** {@code update_config} or {@code rollback_config}; parallelism defaults to 1 as in the docker CLI. */
    static UpdateConfig updateConfig(org.ailtire.definition.ServiceDefinition.UpdateConfig config) {
        if (config == null) {
            return null;
        }
        UpdateConfig result = new UpdateConfig()
                .withParallelism(config.parallelism() == null ? DEFAULT_PARALLELISM : config.parallelism().longValue())
                .withDelay(nanos(config.delay()))
                .withMonitor(nanos(config.monitor()))
                .withMaxFailureRatio(config.maxFailureRatio() == null ? null : config.maxFailureRatio().floatValue());
        if (config.failureAction() != null) {
            result.withFailureAction(switch (config.failureAction()) {
                case CONTINUE -> UpdateFailureAction.CONTINUE;
                case ROLLBACK -> UpdateFailureAction.ROLLBACK;
                case PAUSE -> UpdateFailureAction.PAUSE;
            });
        }
        if (config.order() != null) {
            result.withOrder(switch (config.order()) {
                case STOP_FIRST -> UpdateOrder.STOP_FIRST;
                case START_FIRST -> UpdateOrder.START_FIRST;
            });
        }
        return result;
    }

    static Long nanos(Duration duration) {
        return duration == null ? null : duration.toNanos();
    }

    private static ResourceSpecs amounts(ResourceSpecs specs, ResourceAmount amount) {
        if (amount.nanoCpus() != null) {
            specs.withNanoCPUs(amount.nanoCpus());
        }
        if (amount.memoryBytes() != null) {
            specs.withMemoryBytes(amount.memoryBytes());
        }
        return specs;
    }
}
