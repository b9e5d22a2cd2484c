package org.ailtire.api;

import org.ailtire.gateway.Route;
import org.ailtire.stack.Status;
import org.ailtire.stack.TaskRow;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The status in exactly the shape of the original Node.js ailtire sidecar's {@code GET /_admin/status}, served
 * under an original parent (compatibility mode), which reads it as its child's status:
 * <pre>{"service": STACK, "interfaces": {PREFIX: {target, ws, pathRewrite, changeOrigin}},
 *  "services": {"STACK_svc-1": {name: "STACK_svc.1", shortName: "svc", image, node, desired: "Running",
 *                               status: "Running", line: "the docker stack ps row"},
 *               ...a child stack's task: also type: "stack", services: {...the child's document...}}}</pre>
 * States are the docker CLI's words (its capitalisation), which the original passed on and its page colours by.
 */
final class OriginalStatus {
    private static final String COLUMNS = "   ";

    private OriginalStatus() {
    }

    /**
     * @param stack            this stack's engine namespace (its {@code AILTIRE_STACKNAME})
     * @param routes           the gateway's routes, rendered as the original's ROUTES
     * @param tasks            the latest task of each slot of the own services
     * @param status           this stack's status; its child stacks become {@code type: "stack"} entries
     * @param childGatewayPort the port a child stack's gateway serves routed traffic on
     */
    static Map<String, Object> of(String stack, List<Route> routes, List<TaskRow> tasks, Status status,
                                  int childGatewayPort) {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("service", stack);
        document.put("interfaces", interfaces(routes, childGatewayPort));
        Map<String, Object> services = new LinkedHashMap<>();
        for (TaskRow task : tasks) {
            services.put(stack + "_" + task.service() + "-" + task.slot(), taskEntry(stack, task));
        }
        for (Status child : status.children()) {
            if (child.type() == Status.Type.STACK) {
                services.put(stack + "_" + child.name() + "-1", childEntry(child));
            }
        }
        document.put("services", services);
        return document;
    }

    /** The original's ROUTES: a path prefix to where it goes, first route of a prefix winning. */
    static Map<String, Object> interfaces(List<Route> routes, int childGatewayPort) {
        Map<String, Object> interfaces = new LinkedHashMap<>();
        for (Route route : routes) {
            int port = route.target().childStack() ? childGatewayPort : route.target().port();
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("target", "http://" + route.target().service() + ":" + port);
            entry.put("ws", route.protocol() == Route.Protocol.WS);
            entry.put("pathRewrite", Map.of("^" + route.path(), route.rewrite()));
            entry.put("changeOrigin", true);
            interfaces.putIfAbsent(route.path(), entry);
        }
        return interfaces;
    }

    private static Map<String, Object> taskEntry(String stack, TaskRow task) {
        String name = stack + "_" + task.service() + "." + task.slot();
        String image = withoutDigest(task.image());
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("name", name);
        entry.put("shortName", task.service());
        entry.put("image", image);
        entry.put("node", task.node());
        entry.put("desired", cliWord(task.desiredState()));
        entry.put("status", cliWord(task.state()));
        entry.put("line", String.join(COLUMNS, task.id().substring(0, Math.min(12, task.id().length())), name, image,
                task.node(), cliWord(task.desiredState()), cliWord(task.state()), task.error()).strip());
        return entry;
    }

    /**
     * A child stack of ours, as the original shows a registered child: its entry with {@code type: "stack"} and its
     * whole document under {@code services}. What it last told is per service (our protocol carries no tasks).
     */
    private static Map<String, Object> childEntry(Status child) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("name", child.name());
        entry.put("shortName", child.name());
        entry.put("type", "stack");
        entry.put("desired", "Running");
        if (child.state() == Status.State.UNREACHABLE) {
            entry.put("status", "Network Error");
            entry.put("line", child.message());
            return entry;
        }
        entry.put("status", cliWord(child.state()));
        entry.put("line", child.message());
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("service", child.name());
        document.put("interfaces", Map.of());
        Map<String, Object> services = new LinkedHashMap<>();
        for (Status below : child.children()) {
            if (below.type() == Status.Type.STACK) {
                services.put(below.name(), childEntry(below));
            } else {
                Map<String, Object> service = new LinkedHashMap<>();
                service.put("name", below.name());
                service.put("shortName", below.name());
                service.put("desired", "Running");
                service.put("status", cliWord(below.state()));
                service.put("line", below.message());
                services.put(below.name(), service);
            }
        }
        document.put("services", services);
        entry.put("services", document);
        return entry;
    }

    /** The docker CLI's word for an engine task state: {@code running} is {@code Running}. */
    static String cliWord(String engineState) {
        if (engineState == null || engineState.isEmpty()) {
            return "";
        }
        return engineState.substring(0, 1).toUpperCase(Locale.ROOT) + engineState.substring(1);
    }

    /** Our state in the words of the CLI's task states, which the original's page knows. */
    static String cliWord(Status.State state) {
        return switch (state) {
            case STARTING -> "Starting";
            case RUNNING, DRIFTED -> "Running";
            case UPDATING -> "Preparing";
            case STOPPING, STOPPED -> "Shutdown";
            case FAILED -> "Failed";
            case UNREACHABLE -> "Network Error";
            case COMPLETED -> "Complete";
        };
    }

    /** As {@code docker stack ps} shows an image: without the digest it was pinned to. */
    private static String withoutDigest(String image) {
        int at = image.indexOf('@');
        return at < 0 ? image : image.substring(0, at);
    }
}
