package org.ailtire.swarm.drift;

import com.github.dockerjava.api.DockerClient;
import org.ailtire.swarm.EngineConfigs;
import org.ailtire.swarm.EngineHttp;
import org.ailtire.swarm.Labels;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What the engine holds for one stack namespace, as drift detection sees it: the services with the parts of their
 * specs it compares, and the names of the networks, configs and secrets carrying the namespace's label (the
 * definition history's configs left out: they are a record, not part of the definition).
 *
 * @param services by engine name
 */
public record EngineObjects(Map<String, ServiceFacts> services, Set<String> networks, Set<String> configs,
                            Set<String> secrets) {
    public EngineObjects {
        services = Map.copyOf(services);
        networks = Set.copyOf(networks);
        configs = Set.copyOf(configs);
        secrets = Set.copyOf(secrets);
    }

    /** Four requests: services, networks, configs and secrets, each filtered by the engine on the namespace label. */
    public static EngineObjects read(DockerClient docker, String namespace) {
        Map<String, String> label = Map.of(Labels.NAMESPACE, namespace);
        List<String> labelFilter = List.of(Labels.NAMESPACE + "=" + namespace);
        Map<String, ServiceFacts> services = new TreeMap<>();
        // Raw JSON: a change behind our back of a field docker-java's models lack (preferences, capabilities ...)
        // must show as drift too.
        EngineHttp.getJson(docker, "/services" + EngineHttp.labelFilterQuery(labelFilter), "listing services")
                .forEach(s -> {
                    ServiceFacts facts = ServiceFacts.ofSpec(s.path("Spec"));
                    services.put(facts.name(), facts);
                });
        Set<String> networks = new TreeSet<>();
        docker.listNetworksCmd().withFilter("label", labelFilter).exec().forEach(n -> networks.add(n.getName()));
        Set<String> configs = new TreeSet<>();
        EngineConfigs.withLabels(docker, labelFilter).stream()
                .filter(c -> !Labels.KIND_DEFINITION.equals(c.labels().get(Labels.KIND)))
                .forEach(c -> configs.add(c.name()));
        Set<String> secrets = new TreeSet<>();
        docker.listSecretsCmd().withLabelFilter(label).exec().forEach(s -> secrets.add(s.getSpec().getName()));
        return new EngineObjects(services, networks, configs, secrets);
    }
}
