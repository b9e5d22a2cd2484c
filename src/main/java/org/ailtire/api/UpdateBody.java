package org.ailtire.api;

import com.fasterxml.jackson.databind.JsonNode;
import org.ailtire.definition.DefinitionFiles;
import org.ailtire.stack.ImageResolution;
import org.ailtire.stack.Json;
import org.ailtire.stack.RegistryAuth;
import org.ailtire.stack.RegistryCredential;
import org.ailtire.stack.UpdateRequest;

import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads {@code {parameters: [string], environment: {string: string}, definition: "yaml",
 * registryAuth: {registry: {username, password}}, resolveImage: "always"|"changed"|"never",
 * files: {stack: {file: base64}}}} with every problem.
 */
final class UpdateBody {
    private UpdateBody() {
    }

    static UpdateRequest parse(String body) throws InvalidRequest {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(body == null ? "" : body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new InvalidRequest(List.of("body: not JSON: " + e.getOriginalMessage()));
        }
        if (root == null || !root.isObject()) {
            throw new InvalidRequest(List.of("body: expected a JSON object"));
        }
        List<String> problems = new ArrayList<>();
        JsonNode definition = root.get("definition");
        if (definition == null || !definition.isTextual() || definition.asText().isBlank()) {
            problems.add("definition: expected the stack definition (Compose YAML) as a string");
        }
        List<String> parameters = new ArrayList<>();
        JsonNode params = root.get("parameters");
        if (params != null && !params.isNull()) {
            if (!params.isArray()) {
                problems.add("parameters: expected an array of strings");
            } else {
                for (int i = 0; i < params.size(); i++) {
                    if (params.get(i).isTextual()) {
                        parameters.add(params.get(i).asText());
                    } else {
                        problems.add("parameters[" + i + "]: expected a string");
                    }
                }
            }
        }
        Map<String, String> environment = new LinkedHashMap<>();
        JsonNode env = root.get("environment");
        if (env != null && !env.isNull()) {
            if (!env.isObject()) {
                problems.add("environment: expected an object of strings");
            } else {
                env.properties().forEach(e -> {
                    if (e.getValue().isValueNode() && !e.getValue().isNull()) {
                        environment.put(e.getKey(), e.getValue().asText());
                    } else {
                        problems.add("environment." + e.getKey() + ": expected a string");
                    }
                });
            }
        }
        RegistryAuth registryAuth = registryAuth(root.get("registryAuth"), problems);
        ImageResolution resolveImage = ImageResolution.ALWAYS;
        JsonNode resolve = root.get("resolveImage");
        if (resolve != null && !resolve.isNull()) {
            try {
                resolveImage = ImageResolution.parse(resolve.asText());
            } catch (IllegalArgumentException e) {
                problems.add("resolveImage: " + e.getMessage());
            }
        }
        DefinitionFiles files = files(root.get("files"), problems);
        if (!problems.isEmpty()) {
            throw new InvalidRequest(problems);
        }
        return new UpdateRequest(parameters, environment, definition.asText(), registryAuth, resolveImage, files);
    }

    /** {@code {stack: {file: base64}}}; problems name the stack and the file, never the content (it may be secret). */
    private static DefinitionFiles files(JsonNode node, List<String> problems) {
        if (node == null || node.isNull()) {
            return DefinitionFiles.NONE;
        }
        if (!node.isObject()) {
            problems.add("files: expected an object: stack (\"\" for this one) -> {file: base64 content}");
            return DefinitionFiles.NONE;
        }
        Map<String, Map<String, String>> stacks = new LinkedHashMap<>();
        node.properties().forEach(stack -> {
            if (!stack.getValue().isObject()) {
                problems.add("files." + stack.getKey() + ": expected an object: file -> base64 content");
                return;
            }
            Map<String, String> files = new LinkedHashMap<>();
            stack.getValue().properties().forEach(file -> {
                String at = "files." + stack.getKey() + "." + file.getKey();
                if (!file.getValue().isTextual()) {
                    problems.add(at + ": expected the file's content in base64");
                    return;
                }
                try {
                    Base64.getDecoder().decode(file.getValue().asText());
                    files.put(file.getKey(), file.getValue().asText());
                } catch (IllegalArgumentException e) {
                    problems.add(at + ": expected the file's content in base64");
                }
            });
            stacks.put(stack.getKey(), files);
        });
        return new DefinitionFiles(stacks);
    }

    /** Problems name the registry and the field, never a value (they may be passwords). */
    private static RegistryAuth registryAuth(JsonNode node, List<String> problems) {
        if (node == null || node.isNull()) {
            return RegistryAuth.NONE;
        }
        if (!node.isObject()) {
            problems.add("registryAuth: expected an object: registry -> {username, password}");
            return RegistryAuth.NONE;
        }
        Map<String, RegistryCredential> registries = new LinkedHashMap<>();
        node.properties().forEach(e -> {
            JsonNode user = e.getValue().path("username");
            JsonNode password = e.getValue().path("password");
            if (e.getKey().isBlank() || !user.isTextual() || user.asText().isEmpty() || !password.isTextual()) {
                problems.add("registryAuth." + e.getKey() + ": expected {\"username\": string, \"password\": string}");
            } else {
                registries.put(e.getKey(), new RegistryCredential(user.asText(), password.asText()));
            }
        });
        return new RegistryAuth(registries);
    }
}
