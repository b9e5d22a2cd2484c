package org.ailtire.swarm.convert;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.github.dockerjava.api.model.ServiceSpec;

import java.nio.charset.StandardCharsets;

/**
 * SHA-256 (hex) of a canonical JSON form of a service spec: properties and map keys sorted, nulls left out, so the
 * hash depends on the spec's content only, never on the iteration order of a map.
 */
final class SpecHash {
    private static final ObjectMapper CANONICAL = JsonMapper.builder()
            .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .build();

    private SpecHash() {
    }

    static String of(ServiceSpec spec) {
        return EngineNames.sha256Hex(canonicalJson(spec).getBytes(StandardCharsets.UTF_8));
    }

    static String canonicalJson(ServiceSpec spec) {
        try {
            return CANONICAL.writeValueAsString(spec);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize a service spec", e);
        }
    }
}
