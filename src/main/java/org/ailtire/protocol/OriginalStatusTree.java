package org.ailtire.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import org.ailtire.stack.Status;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the original sidecar's {@code GET /_admin/status} document ({@code {"service": STACK, "interfaces": ...,
 * "services": {KEY: ENTRY}}}) into our status tree. One entry per task ({@code KEY} = {@code <stack>_<svc>-<slot>}),
 * named in our tree by its key without the {@code <stack>_} prefix ({@code web-1}); an entry of {@code type: "stack"}
 * is a child stack whose {@code services} is its own whole document, read the same way (to any depth); its
 * {@code status: "Network Error"} makes it unreachable. Task states are the docker CLI's words.
 */
public final class OriginalStatusTree {
    private static final String NETWORK_ERROR = "Network Error";

    private OriginalStatusTree() {
    }

    /** The document of the original child {@code name} (registered at {@code url}) as its status. */
    public static Status toStatus(String name, String url, JsonNode document, Instant at) {
        return Status.stack(name, Status.State.RUNNING, "", url, at, entries(document, at));
    }

    private static List<Status> entries(JsonNode document, Instant at) {
        List<Status> statuses = new ArrayList<>();
        String stack = text(document.get("service"));
        JsonNode services = document.get("services");
        if (services == null || !services.isObject()) {
            return statuses;
        }
        services.fields().forEachRemaining(field -> {
            JsonNode entry = field.getValue();
            String name = shortKey(stack, field.getKey());
            String word = text(entry.get("status"));
            String line = text(entry.get("line"));
            if (isStack(entry)) {
                JsonNode below = entry.get("services");
                List<Status> children = below != null && below.isObject() ? entries(below, at) : List.of();
                Status child = Status.stack(name, state(word), "", null, at, children);
                statuses.add(NETWORK_ERROR.equals(word) ? child.unreachable(NETWORK_ERROR + ": " + line, at) : child);
            } else {
                statuses.add(Status.service(name, state(word), line, at));
            }
        });
        return statuses;
    }

    /**
     * The engine namespaces (docker stacks) the document's tree runs: its own {@code service}, then every child
     * stack's, to any depth. What must be gone once the tree shut down.
     */
    public static Set<String> namespaces(JsonNode document) {
        Set<String> namespaces = new LinkedHashSet<>();
        collectNamespaces(document, namespaces);
        return namespaces;
    }

    private static void collectNamespaces(JsonNode document, Set<String> namespaces) {
        String stack = text(document.get("service"));
        if (!stack.isEmpty()) {
            namespaces.add(stack);
        }
        JsonNode services = document.get("services");
        if (services != null && services.isObject()) {
            services.elements().forEachRemaining(entry -> {
                if (isStack(entry) && entry.get("services") != null && entry.get("services").isObject()) {
                    collectNamespaces(entry.get("services"), namespaces);
                }
            });
        }
    }

    /**
     * Every task of the tree that is not a child stack, by its path in our tree ({@code web-1}, {@code bottom-1/echo-1})
     * to its task key ({@code shop_web-1}), which the original's {@code /_admin/log?name=} takes.
     */
    public static Map<String, String> tasks(JsonNode document) {
        Map<String, String> tasks = new LinkedHashMap<>();
        collectTasks(document, "", tasks);
        return tasks;
    }

    private static void collectTasks(JsonNode document, String prefix, Map<String, String> tasks) {
        String stack = text(document.get("service"));
        JsonNode services = document.get("services");
        if (services == null || !services.isObject()) {
            return;
        }
        services.fields().forEachRemaining(field -> {
            String path = prefix + shortKey(stack, field.getKey());
            JsonNode below = field.getValue().get("services");
            if (isStack(field.getValue())) {
                if (below != null && below.isObject()) {
                    collectTasks(below, path + "/", tasks);
                }
            } else {
                tasks.put(path, field.getKey());
            }
        });
    }

    /**
     * The task key of the service at {@code path} in the tree: its task's own path ({@code bottom-1/echo-1}), or the
     * service's without the slot ({@code bottom-1/echo}: its first task).
     */
    public static Optional<String> taskKey(JsonNode document, String path) {
        Map<String, String> tasks = tasks(document);
        if (tasks.containsKey(path)) {
            return Optional.of(tasks.get(path));
        }
        return tasks.entrySet().stream().filter(t -> t.getKey().replaceFirst("-[0-9]+$", "").equals(path))
                .map(Map.Entry::getValue).findFirst();
    }

    /** {@code shop_web-1} of stack {@code shop} is {@code web-1}; a key without the prefix stays as it is. */
    static String shortKey(String stack, String key) {
        String prefix = stack + "_";
        return !stack.isEmpty() && key.startsWith(prefix) && key.length() > prefix.length()
                ? key.substring(prefix.length()) : key;
    }

    private static boolean isStack(JsonNode entry) {
        return "stack".equals(text(entry.get("type")));
    }

    /** The docker CLI's task state words (and the original's "Network Error") as ours. */
    static Status.State state(String word) {
        return switch (word.toLowerCase(Locale.ROOT)) {
            case "running" -> Status.State.RUNNING;
            case "new", "pending", "assigned", "accepted", "preparing", "ready", "starting" -> Status.State.STARTING;
            case "complete" -> Status.State.COMPLETED;
            case "shutdown", "remove", "orphaned" -> Status.State.STOPPED;
            case "failed", "rejected" -> Status.State.FAILED;
            case "network error" -> Status.State.UNREACHABLE;
            default -> Status.State.STARTING;
        };
    }

    private static String text(JsonNode value) {
        if (value == null || value.isNull()) {
            return "";
        }
        return value.isTextual() ? value.asText() : value.toString();
    }
}
