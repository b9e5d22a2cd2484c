package org.ailtire.swarm.convert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.transport.DockerHttpClient;
import org.ailtire.swarm.EngineHttp;
import org.ailtire.swarm.Labels;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The services, networks, configs and secrets of one namespace as the engine returns them (raw JSON: docker-java's
 * models drop fields they do not know), normalised for comparison with another namespace. Everything that must
 * differ between two deployments of the same file is normalised here, and only that:
 * <ul>
 *   <li>the namespace in names and label values becomes {@code NS} (two stacks cannot share names);</li>
 *   <li>our own {@code org.ailtire.*} labels are dropped (the docker CLI has no reason to set them);</li>
 *   <li>object ids (network targets, config and secret ids, credential spec configs) become the object's name: ids
 *       are random;</li>
 *   <li>our config and secret names lose their content hash ({@code NS_site_0123456789} becomes {@code NS_site}):
 *       ours are content-addressed so that new content is a new object (see EngineNames#contentAddressed);</li>
 *   <li>values of the per-side variables (published ports, a fixed subnet) become {@code ${NAME}}: two stacks
 *       cannot publish the same port or hold the same subnet;</li>
 *   <li>null members and empty objects are dropped: docker always sends an empty Placement, Resources and
 *       Privileges, which mean the same to the engine as none;</li>
 *   <li>engine bookkeeping is not compared: ids, versions, timestamps and the state of services, configs and
 *       secrets (only their Spec is); a network's Id, Created, Containers and Peers, and what the engine allocated
 *       for it: its VXLAN id, and the parts of its IPAM config not from a variable (gateways, subnets).</li>
 * </ul>
 */
final class EngineSnapshot {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The engine allocates each overlay network its VXLAN id. */
    private static final String VXLAN_IDS = "com.docker.network.driver.overlay.vxlanid_list";
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{[A-Z_]+}");

    /** Kind ("services", "networks", "configs", "secrets") and normalised name to the normalised JSON. */
    final Map<String, JsonNode> objects = new TreeMap<>();

    private final String namespace;
    private final Map<String, String> renames;
    private final Map<String, String> variables;

    private EngineSnapshot(String namespace, Map<String, String> renames, Map<String, String> variables) {
        this.namespace = namespace;
        this.renames = renames;
        this.variables = variables;
    }

    /**
     * @param contentAddressed our content-addressed config and secret names, each to its name without the hash
     *                         (empty for the docker CLI's side)
     * @param variables        the variables this side was deployed with whose values must differ between the sides
     */
    static EngineSnapshot read(DockerClient docker, String namespace, Map<String, String> contentAddressed,
                               Map<String, String> variables) throws IOException {
        Map<String, String> renames = new HashMap<>(contentAddressed);
        for (String kind : List.of("networks", "configs", "secrets")) {
            for (JsonNode node : get(docker, "/" + kind)) {
                String id = node.has("Id") ? node.path("Id").asText() : node.path("ID").asText();
                String name = node.has("Spec") ? node.path("Spec").path("Name").asText() : node.path("Name").asText();
                renames.put(id, contentAddressed.getOrDefault(name, name));
            }
        }
        EngineSnapshot snapshot = new EngineSnapshot(namespace, renames, variables);
        String filter = "?filters=" + URLEncoder.encode("{\"label\":[\"" + Labels.NAMESPACE + "=" + namespace + "\"]}",
                StandardCharsets.UTF_8);
        for (JsonNode service : get(docker, "/services" + filter)) {
            snapshot.add("services", service.path("Spec").path("Name").asText(), service.path("Spec"));
        }
        for (JsonNode network : get(docker, "/networks" + filter)) {
            ObjectNode kept = network.deepCopy();
            kept.remove(List.of("Id", "Created", "Containers", "Peers"));
            if (kept.path("Options") instanceof ObjectNode options) {
                options.remove(VXLAN_IDS);
            }
            snapshot.add("networks", network.path("Name").asText(), kept);
        }
        for (String kind : List.of("configs", "secrets")) {
            for (JsonNode object : get(docker, "/" + kind + filter)) {
                snapshot.add(kind, object.path("Spec").path("Name").asText(), object.path("Spec"));
            }
        }
        return snapshot;
    }

    private void add(String kind, String name, JsonNode json) {
        JsonNode normalised = normalise(json);
        if (kind.equals("networks")) {
            normaliseIpam(normalised.path("IPAM").path("Config"));
        }
        objects.put(kind + "." + text(name), normalised);
    }

    private JsonNode normalise(JsonNode node) {
        if (node.isObject()) {
            ObjectNode result = JSON.createObjectNode();
            node.properties().forEach(field -> {
                if (field.getKey().startsWith("org.ailtire.")) {
                    return;
                }
                JsonNode value = normalise(field.getValue());
                if (!value.isNull() && !(value.isObject() && value.isEmpty())) {
                    result.set(field.getKey(), value);
                }
            });
            return result;
        }
        if (node.isArray()) {
            var result = JSON.createArrayNode();
            node.forEach(item -> result.add(normalise(item)));
            return result;
        }
        if (node.isTextual()) {
            return JSON.getNodeFactory().textNode(text(node.asText()));
        }
        if (node.isIntegralNumber()) {
            String variable = variableOf(node.asText());
            return variable == null ? node : JSON.getNodeFactory().textNode(variable);
        }
        return node;
    }

    private String text(String value) {
        String text = renames.getOrDefault(value, value);
        for (Map.Entry<String, String> variable : variables.entrySet()) {
            text = text.replace(variable.getValue(), "${" + variable.getKey() + "}");
        }
        return text.replace(namespace, "NS");
    }

    private String variableOf(String value) {
        return variables.entrySet().stream().filter(e -> e.getValue().equals(value)).map(e -> "${" + e.getKey() + "}")
                .findFirst().orElse(null);
    }

    /** The engine picks gateways, and subnets where the file sets none. */
    private static void normaliseIpam(JsonNode configs) {
        for (JsonNode config : configs) {
            ObjectNode pool = (ObjectNode) config;
            if (pool.has("Gateway")) {
                pool.put("Gateway", "<allocated>");
            }
            if (pool.has("Subnet") && !VARIABLE.matcher(pool.path("Subnet").asText()).matches()) {
                pool.put("Subnet", "<allocated>");
            }
        }
    }

    private static JsonNode get(DockerClient docker, String path) throws IOException {
        var request = DockerHttpClient.Request.builder().method(DockerHttpClient.Request.Method.GET).path(path).build();
        try (DockerHttpClient.Response response = EngineHttp.of(docker).execute(request);
             InputStream body = response.getBody()) {
            byte[] bytes = body.readAllBytes();
            if (response.getStatusCode() != 200) {
                throw new IOException("GET " + path + ": " + response.getStatusCode() + " "
                        + new String(bytes, StandardCharsets.UTF_8));
            }
            return JSON.readTree(bytes);
        }
    }
}
