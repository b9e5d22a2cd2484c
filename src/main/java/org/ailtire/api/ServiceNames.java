package org.ailtire.api;

import com.fasterxml.jackson.databind.JsonNode;
import org.ailtire.stack.Json;

import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The body of a redeploy or of a webhook delivery: no body, or a JSON object with an optional {@code services} list
 * of names. None named (no body, or no list) means every service of the stack.
 */
final class ServiceNames {
    private ServiceNames() {
    }

    /** @throws InvalidRequest naming what is wrong with the body */
    static Set<String> parse(String body) throws InvalidRequest {
        if (body == null || body.isBlank()) {
            return Set.of();
        }
        JsonNode parsed;
        try {
            parsed = Json.MAPPER.readTree(body);
        } catch (IOException e) {
            parsed = null;
        }
        if (parsed == null || !parsed.isObject()) {
            throw new InvalidRequest(List.of("expected a JSON object or no body"));
        }
        JsonNode services = parsed.get("services");
        Set<String> named = new TreeSet<>();
        if (services == null) {
            return named;
        }
        if (!services.isArray()) {
            throw new InvalidRequest(List.of("services: expected a list of service names"));
        }
        for (JsonNode name : services) {
            if (!name.isTextual()) {
                throw new InvalidRequest(List.of("services: expected a list of service names"));
            }
            named.add(name.asText());
        }
        return named;
    }
}
