package org.ailtire.stack;

import org.ailtire.definition.DefinitionException;
import org.ailtire.definition.Problem;
import org.ailtire.definition.ServiceDefinition;
import org.ailtire.definition.StackDefinition;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks that the services an update scales, redeploys or refreshes are services of the stack's definition that can
 * be: its own (a child stack's services are scaled through that stack's controller), and, to be scaled, replicated
 * (a global service runs one task per node, a job runs to completion).
 */
public final class ServiceOverridesCheck {
    private ServiceOverridesCheck() {
    }

    /** @throws DefinitionException naming every service that cannot be, at {@code services.<key>} */
    public static void check(StackDefinition definition, UpdateRequest request) throws DefinitionException {
        List<Problem> problems = new ArrayList<>();
        ServiceOverrides overrides = request.overrides();
        overrides.replicas().keySet().forEach(key -> ownService(definition, key, "scale", problems).ifPresent(service -> {
            ServiceDefinition.Mode mode = service.deploy().mode();
            if (mode != null && mode != ServiceDefinition.Mode.REPLICATED) {
                problems.add(Problem.error("services." + key, "cannot be scaled: its mode is "
                        + mode.name().toLowerCase(Locale.ROOT).replace('_', '-')
                        + (mode == ServiceDefinition.Mode.REPLICATED_JOB ? " (a job runs to completion)"
                        : " (it runs one task per node)")));
            }
        }));
        Set<String> redeployed = new TreeSet<>(overrides.redeploys().keySet());
        redeployed.addAll(request.refresh());
        redeployed.forEach(key -> ownService(definition, key, "redeploy", problems));
        if (!problems.isEmpty()) {
            throw new DefinitionException(problems);
        }
    }

    private static Optional<ServiceDefinition> ownService(StackDefinition definition, String key, String what,
                                                          List<Problem> problems) {
        ServiceDefinition service = definition.services().get(key);
        if (service == null) {
            problems.add(Problem.error("services." + key, "cannot " + what + ": the stack has no service " + key
                    + " (it has " + String.join(", ", definition.services().keySet()) + ")"));
            return Optional.empty();
        }
        if (service.ailtire().isChildStack() || service.ailtire().isOriginalChild()) {
            problems.add(Problem.error("services." + key, "cannot " + what + ": " + key + " is a child stack; "
                    + what + " its services through its own controller (the CLI's --stack PATH)"));
            return Optional.empty();
        }
        return Optional.of(service);
    }
}
