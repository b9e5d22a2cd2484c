package org.ailtire.swarm.apply;

import com.github.dockerjava.api.model.Service;
import org.ailtire.swarm.Labels;
import org.ailtire.swarm.convert.ServiceResource;
import org.ailtire.swarm.convert.StackResources;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which services an apply creates, updates, leaves alone or removes. A service is updated only when the spec hash
 * the converter computed differs from the one its engine labels carry, or when it is one of those to rewrite (changed
 * on the engine behind the controller's back: its labels still carry the hash of the definition).
 *
 * @param toRemoveNames engine names of services the engine has and the target no longer defines
 * @param toRemove      their keys, for reporting
 */
record Plan(List<ServiceResource> toCreate, List<ServiceResource> toUpdate, List<ServiceResource> unchanged,
            List<String> toRemove, List<String> toRemoveNames) {

    static Plan of(StackResources target, StackInventory before) {
        return of(target, before, Set.of());
    }

    /** @param rewrite engine names of services whose spec is written again even when their hash is the same */
    static Plan of(StackResources target, StackInventory before, Set<String> rewrite) {
        List<ServiceResource> create = new ArrayList<>();
        List<ServiceResource> update = new ArrayList<>();
        List<ServiceResource> unchanged = new ArrayList<>();
        for (ServiceResource service : target.services()) {
            Service existing = before.services().get(service.name());
            if (existing == null) {
                create.add(service);
            } else if (service.specHash().equals(hashOf(existing)) && !rewrite.contains(service.name())) {
                unchanged.add(service);
            } else {
                update.add(service);
            }
        }
        Set<String> wanted = target.services().stream().map(ServiceResource::name).collect(Collectors.toSet());
        List<String> removeNames = before.services().keySet().stream().filter(n -> !wanted.contains(n)).toList();
        List<String> removeKeys = removeNames.stream().map(n -> StackApplier.keyOf(before.services().get(n))).toList();
        return new Plan(create, update, unchanged, removeKeys, removeNames);
    }

    private static String hashOf(Service service) {
        Map<String, String> labels = service.getSpec().getLabels();
        return labels == null ? null : labels.get(Labels.SPEC_HASH);
    }

    String describe() {
        return "create " + keys(toCreate) + ", update " + keys(toUpdate) + ", unchanged " + keys(unchanged)
                + ", remove " + toRemove;
    }

    private static List<String> keys(List<ServiceResource> services) {
        return services.stream().map(ServiceResource::key).toList();
    }
}
