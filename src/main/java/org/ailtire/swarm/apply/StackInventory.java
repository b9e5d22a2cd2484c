package org.ailtire.swarm.apply;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Network;
import com.github.dockerjava.api.model.Secret;
import com.github.dockerjava.api.model.Service;
import org.ailtire.swarm.EngineConfigs;
import org.ailtire.swarm.EngineConfigs.EngineConfig;
import org.ailtire.swarm.Labels;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * What the engine holds for one stack namespace, read by label (so it also finds what an earlier controller
 * created). Services by engine name; networks, configs and secrets by engine name.
 */
record StackInventory(Map<String, Service> services, Map<String, Network> networks, Map<String, EngineConfig> configs,
                      Map<String, Secret> secrets) {

    /**
     * What the engine holds of the stacks below {@code stackPath} (their paths start with {@code stackPath/}), whatever
     * their namespaces: what a child stack that can no longer shut itself down leaves behind.
     */
    static StackInventory readBelow(DockerClient docker, String stackPath) {
        String prefix = stackPath + "/";
        return read(docker, Labels.MANAGED, "true",
                labels -> labels != null && labels.getOrDefault(Labels.STACK_PATH, "").startsWith(prefix));
    }

    /** What the engine holds of the stack at {@code stackPath} and of every stack below it: a dropped child's tree. */
    static StackInventory readSubtree(DockerClient docker, String stackPath) {
        String below = stackPath + "/";
        return read(docker, Labels.MANAGED, "true", labels -> labels != null
                && (stackPath.equals(labels.get(Labels.STACK_PATH))
                || labels.getOrDefault(Labels.STACK_PATH, "").startsWith(below)));
    }

    static StackInventory read(DockerClient docker, String namespace) {
        return read(docker, Labels.NAMESPACE, namespace, labels -> true);
    }

    /** The objects carrying {@code label=value} (the engine filters on it) whose labels {@code keep} accepts. */
    private static StackInventory read(DockerClient docker, String label, String value,
                                       Predicate<Map<String, String>> keep) {
        Map<String, String> labelMap = Map.of(label, value);
        List<String> labelFilter = List.of(label + "=" + value);
        Map<String, Service> services = new LinkedHashMap<>();
        docker.listServicesCmd().withLabelFilter(labelMap).exec().stream().filter(s -> keep.test(s.getSpec().getLabels()))
                .forEach(s -> services.put(s.getSpec().getName(), s));
        Map<String, Network> networks = new LinkedHashMap<>();
        docker.listNetworksCmd().withFilter("label", labelFilter).exec().stream().filter(n -> keep.test(n.getLabels()))
                .forEach(n -> networks.put(n.getName(), n));
        Map<String, EngineConfig> configs = new LinkedHashMap<>();
        EngineConfigs.withLabels(docker, labelFilter).stream()
                .filter(c -> keep.test(c.labels())).forEach(c -> configs.put(c.name(), c));
        Map<String, Secret> secrets = new LinkedHashMap<>();
        docker.listSecretsCmd().withLabelFilter(labelMap).exec().stream().filter(s -> keep.test(s.getSpec().getLabels()))
                .forEach(s -> secrets.put(s.getSpec().getName(), s));
        return new StackInventory(services, networks, configs, secrets);
    }

    Map<String, String> configIds() {
        return idsByName(configs, EngineConfig::id, EngineConfig::labels, false);
    }

    Map<String, String> secretIds() {
        return idsByName(secrets, s -> s.getId(), s -> s.getSpec().getLabels(), false);
    }

    /** Configs made from the definition's {@code configs} (they carry a key), not other labelled configs. */
    Map<String, String> resourceConfigIds() {
        return idsByName(configs, EngineConfig::id, EngineConfig::labels, true);
    }

    Map<String, String> resourceSecretIds() {
        return idsByName(secrets, s -> s.getId(), s -> s.getSpec().getLabels(), true);
    }

    private static <T> Map<String, String> idsByName(Map<String, T> byName, Function<T, String> id,
                                                     Function<T, Map<String, String>> labels, boolean withKeyOnly) {
        Map<String, String> ids = new LinkedHashMap<>();
        byName.forEach((name, object) -> {
            Map<String, String> l = labels.apply(object);
            if (!withKeyOnly || (l != null && l.containsKey(Labels.KEY))) {
                ids.put(name, id.apply(object));
            }
        });
        return ids;
    }

    boolean isEmpty() {
        return services.isEmpty() && networks.isEmpty() && configs.isEmpty() && secrets.isEmpty();
    }

    List<String> describe() {
        var all = new java.util.ArrayList<String>();
        services.keySet().forEach(n -> all.add("service " + n));
        configs.keySet().forEach(n -> all.add("config " + n));
        secrets.keySet().forEach(n -> all.add("secret " + n));
        networks.keySet().forEach(n -> all.add("network " + n));
        return all;
    }
}
