package org.ailtire.swarm;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.DockerClient;

import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Lists swarm configs with their labels and data. docker-java 3.7.1's config model keeps only the name (its labels
 * and data are dropped while reading), so this reads {@code GET /configs} through docker-java's own transport.
 */
public final class EngineConfigs {
    /** One config as the engine holds it. */
    public record EngineConfig(String id, String name, Map<String, String> labels, byte[] data) {
        public EngineConfig {
            labels = Map.copyOf(labels);
        }
    }

    private EngineConfigs() {
    }

    /** The configs carrying every {@code key=value} label given (the engine filters). */
    public static List<EngineConfig> withLabels(DockerClient docker, List<String> labelFilters) {
        JsonNode answer = EngineHttp.getJson(docker, "/configs" + EngineHttp.labelFilterQuery(labelFilters),
                "listing configs");
        List<EngineConfig> configs = new ArrayList<>();
        for (JsonNode node : answer) {
            JsonNode spec = node.path("Spec");
            Map<String, String> labels = new LinkedHashMap<>();
            spec.path("Labels").properties().forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
            String data = spec.path("Data").asText("");
            configs.add(new EngineConfig(node.path("ID").asText(), spec.path("Name").asText(), labels,
                    Base64.getDecoder().decode(data)));
        }
        return configs;
    }
}
