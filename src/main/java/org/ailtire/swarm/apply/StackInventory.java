package org.ailtire.swarm.apply;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Config;
import com.github.dockerjava.api.model.Network;
import com.github.dockerjava.api.model.Secret;
import com.github.dockerjava.api.model.Service;
import org.ailtire.swarm.Labels;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * What the engine holds for one stack namespace, read by label (so it also finds what an earlier controller
 * created). Services by engine name; networks, configs and secrets by engine name.
 */
record StackInventory(Map<String, Service> services, Map<String, Network> networks, Map<String, Config> configs,
                      Map<String, Secret> secrets) {

    /**
     * What the engine holds of the stacks below {@code stackPath} (their paths start with {@code stackPath/}), whatever
     * their namespaces: what a child stack that can no longer shut itself down leaves behind.
     */
    static StackInventory readBelow(DockerClient docker, String stackPath) {
        String prefix = stackPath + "/";
        Map<String, String> managed = Map.of(Labels.MANAGED, "true");
        List<String> managedFilter = List.of(Labels.MANAGED + "=true");
        java.util.function.Predicate<Map<String, String>> below =
                labels -> labels != null && labels.getOrDefault(Labels.STACK_PATH, "").startsWith(prefix);
        Map<String, Service> services = new LinkedHashMap<>();
        docker.listServicesCmd().withLabelFilter(managed).exec().stream().filter(s -> below.test(s.getSpec().getLabels()))
                .forEach(s -> services.put(s.getSpec().getName(), s));
        Map<String, Network> networks = new LinkedHashMap<>();
        docker.listNetworksCmd().withFilter("label", managedFilter).exec().stream().filter(n -> below.test(n.getLabels()))
                .forEach(n -> networks.put(n.getName(), n));
        Map<String, Config> configs = new LinkedHashMap<>();
        docker.listConfigsCmd().withFilters(Map.of("label", managedFilter)).exec().stream()
                .filter(c -> below.test(labelsOf(c))).forEach(c -> configs.put(c.getSpec().getName(), c));
        Map<String, Secret> secrets = new LinkedHashMap<>();
        docker.listSecretsCmd().withLabelFilter(managed).exec().stream().filter(s -> below.test(s.getSpec().getLabels()))
                .forEach(s -> secrets.put(s.getSpec().getName(), s));
        return new StackInventory(services, networks, configs, secrets);
    }

    static StackInventory read(DockerClient docker, String namespace) {
        Map<String, String> label = Map.of(Labels.NAMESPACE, namespace);
        List<String> labelFilter = List.of(Labels.NAMESPACE + "=" + namespace);
        Map<String, Service> services = new LinkedHashMap<>();
        docker.listServicesCmd().withLabelFilter(label).exec().forEach(s -> services.put(s.getSpec().getName(), s));
        Map<String, Network> networks = new LinkedHashMap<>();
        docker.listNetworksCmd().withFilter("label", labelFilter).exec().forEach(n -> networks.put(n.getName(), n));
        Map<String, Config> configs = new LinkedHashMap<>();
        docker.listConfigsCmd().withFilters(Map.of("label", labelFilter)).exec()
                .forEach(c -> configs.put(c.getSpec().getName(), c));
        Map<String, Secret> secrets = new LinkedHashMap<>();
        docker.listSecretsCmd().withLabelFilter(label).exec().forEach(s -> secrets.put(s.getSpec().getName(), s));
        return new StackInventory(services, networks, configs, secrets);
    }

    Map<String, String> configIds() {
        return idsByName(configs, c -> c.getId(), StackInventory::labelsOf, false);
    }

    Map<String, String> secretIds() {
        return idsByName(secrets, s -> s.getId(), s -> s.getSpec().getLabels(), false);
    }

    /** Configs made from the definition's {@code configs} (they carry a key), not other labelled configs. */
    Map<String, String> resourceConfigIds() {
        return idsByName(configs, c -> c.getId(), StackInventory::labelsOf, true);
    }

    Map<String, String> resourceSecretIds() {
        return idsByName(secrets, s -> s.getId(), s -> s.getSpec().getLabels(), true);
    }

    /** docker-java's ConfigSpec has no labels accessor; they arrive among its raw JSON values. */
    @SuppressWarnings("unchecked")
    private static Map<String, String> labelsOf(Config config) {
        Object labels = config.getSpec().getRawValues().get("Labels");
        return labels instanceof Map<?, ?> map ? (Map<String, String>) map : Map.of();
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
