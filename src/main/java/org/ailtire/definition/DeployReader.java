package org.ailtire.definition;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.ailtire.definition.ServiceDefinition.Deploy;
import org.ailtire.definition.ServiceDefinition.EndpointMode;
import org.ailtire.definition.ServiceDefinition.GenericResource;
import org.ailtire.definition.ServiceDefinition.Mode;
import org.ailtire.definition.ServiceDefinition.Placement;
import org.ailtire.definition.ServiceDefinition.ResourceAmount;
import org.ailtire.definition.ServiceDefinition.Resources;
import org.ailtire.definition.ServiceDefinition.RestartPolicy;
import org.ailtire.definition.ServiceDefinition.UpdateConfig;

/** Reads a service's {@code deploy:} section. */
final class DeployReader {
    private static final Set<String> KEYS = Set.of("mode", "replicas", "resources", "restart_policy", "placement",
            "update_config", "rollback_config", "endpoint_mode", "labels");

    private DeployReader() {
    }

    static Deploy read(Fields deploy) {
        deploy.checkKeys(KEYS, Map.of(), false);
        Mode mode = deploy.choice("mode", Mode.class);
        Integer replicas = deploy.nonNegative("replicas");
        if ((mode == Mode.GLOBAL || mode == Mode.GLOBAL_JOB) && deploy.has("replicas")) {
            deploy.error("replicas", "not allowed with mode " + deploy.string("mode")
                    + " (it runs one task per node); replicas go with replicated or replicated-job");
        }
        return new Deploy(mode, replicas,
                deploy.has("resources") ? resources(deploy.fields("resources")) : null,
                deploy.has("restart_policy") ? restartPolicy(deploy.fields("restart_policy")) : null,
                deploy.has("placement") ? placement(deploy.fields("placement")) : null,
                deploy.has("update_config") ? updateConfig(deploy.fields("update_config")) : null,
                deploy.has("rollback_config") ? updateConfig(deploy.fields("rollback_config")) : null,
                deploy.choice("endpoint_mode", EndpointMode.class),
                deploy.labels("labels"));
    }

    private static Resources resources(Fields resources) {
        resources.checkKeys(Set.of("limits", "reservations"), Map.of(), false);
        return new Resources(
                resources.has("limits") ? amount(resources.fields("limits"), false) : null,
                resources.has("reservations") ? amount(resources.fields("reservations"), true) : null);
    }

    private static ResourceAmount amount(Fields amount, boolean reservation) {
        amount.checkKeys(reservation ? Set.of("cpus", "memory", "pids", "generic_resources") : Set.of("cpus", "memory", "pids"),
                Map.of("devices", Fields.SWARM_IGNORES), false);
        Long pids = Values.longValue(amount.get("pids"), amount.at("pids"), amount.problems(), "an integer");
        if (pids != null && pids < 0) {
            amount.error("pids", "must not be negative, got " + pids);
        }
        return new ResourceAmount(amount.parsed("cpus", Units::nanoCpus), amount.parsed("memory", Units::bytes), pids,
                genericResources(amount));
    }

    /** {@code generic_resources: [{discrete_resource_spec: {kind: GPU, value: 2}}]} */
    private static List<GenericResource> genericResources(Fields amount) {
        List<GenericResource> resources = new ArrayList<>();
        Object value = amount.get("generic_resources");
        if (value == null) {
            return resources;
        }
        if (!(value instanceof List<?> list)) {
            amount.error("generic_resources", "expected a list, got " + Values.describe(value));
            return resources;
        }
        for (int i = 0; i < list.size(); i++) {
            Fields item = Fields.of(list.get(i), Problems.index(amount.at("generic_resources"), i), amount.problems());
            item.checkKeys(Set.of("discrete_resource_spec"), Map.of(), false);
            Fields spec = item.fields("discrete_resource_spec");
            spec.checkKeys(Set.of("kind", "value"), Map.of(), false);
            String kind = spec.string("kind");
            Integer count = spec.nonNegative("value");
            if (kind == null || kind.isBlank()) {
                spec.error("kind", "required: the resource's kind, e.g. GPU");
            } else if (count == null) {
                spec.error("value", "required: how many units to reserve");
            } else {
                resources.add(new GenericResource(kind, count));
            }
        }
        return resources;
    }

    private static RestartPolicy restartPolicy(Fields policy) {
        policy.checkKeys(Set.of("condition", "delay", "max_attempts", "window"), Map.of(), false);
        return new RestartPolicy(policy.choice("condition", RestartPolicy.Condition.class), policy.duration("delay"),
                policy.nonNegative("max_attempts"), policy.duration("window"));
    }

    /**
     * The service's {@code restart} as a restart policy, as docker maps it when {@code deploy.restart_policy} is not
     * set: {@code no} none, {@code always} and {@code unless-stopped} any, {@code on-failure[:N]} on-failure.
     */
    static RestartPolicy restart(Fields service) {
        String restart = service.string("restart");
        if (restart == null) {
            return null;
        }
        String[] parts = restart.split(":", 2);
        Integer attempts = null;
        if (parts.length == 2) {
            attempts = Values.nonNegative(Scalar.string(parts[1]), service.at("restart"), service.problems());
            if (attempts == null) {
                return null;
            }
            if (!parts[0].equals("on-failure")) {
                service.error("restart", "a retry count goes only with on-failure, got \"" + restart + "\"");
                return null;
            }
        }
        RestartPolicy.Condition condition = switch (parts[0]) {
            case "no", "" -> null;
            case "always", "unless-stopped" -> RestartPolicy.Condition.ANY;
            case "on-failure" -> RestartPolicy.Condition.ON_FAILURE;
            default -> {
                service.error("restart", "expected one of no, always, on-failure[:N], unless-stopped, got \"" + restart + "\"");
                yield null;
            }
        };
        return condition == null ? null
                : new RestartPolicy(condition, null, attempts == null || attempts == 0 ? null : attempts, null);
    }

    private static Placement placement(Fields placement) {
        placement.checkKeys(Set.of("constraints", "preferences", "max_replicas_per_node"), Map.of(), false);
        List<String> constraints = placement.strings("constraints", false);
        List<String> spreads = new ArrayList<>();
        Object preferences = placement.get("preferences");
        if (preferences instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                Fields preference = Fields.of(list.get(i), Problems.index(placement.at("preferences"), i), placement.problems());
                preference.checkKeys(Set.of("spread"), Map.of(), false);
                String spread = preference.string("spread");
                if (spread == null) {
                    preference.error("spread", "required: the label to spread tasks over, e.g. node.labels.zone");
                } else {
                    spreads.add(spread);
                }
            }
        } else if (preferences != null) {
            placement.error("preferences", "expected a list of {spread: ...}, got " + Values.describe(preferences));
        }
        return new Placement(constraints, spreads, placement.nonNegative("max_replicas_per_node"));
    }

    private static UpdateConfig updateConfig(Fields update) {
        update.checkKeys(Set.of("parallelism", "delay", "failure_action", "monitor", "max_failure_ratio", "order"),
                Map.of(), false);
        Double ratio = update.number("max_failure_ratio");
        if (ratio != null && (ratio < 0 || ratio > 1)) {
            update.error("max_failure_ratio", "must be between 0 and 1, got " + ratio);
        }
        return new UpdateConfig(update.nonNegative("parallelism"), update.duration("delay"),
                update.choice("failure_action", UpdateConfig.FailureAction.class), update.duration("monitor"),
                ratio, update.choice("order", UpdateConfig.Order.class));
    }
}
