package org.ailtire.api;

import org.ailtire.stack.Status;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The status in the shape of the original Node.js ailtire sidecar's {@code GET /_admin/status}:
 * <pre>{"service": "&lt;stack&gt;", "interfaces": {},
 *  "services": {"&lt;svc&gt;": {"name", "shortName", "status", "line"},
 *               "&lt;child&gt;": {"type": "stack", "name", "services": { ...the child's own document... }}}}</pre>
 * An unreachable child is rendered as the sidecar did on a failed request: {@code status: "Network Error"}
 * with the reason in {@code line}. States are given in lower case (the sidecar passed on the docker CLI's
 * {@code CURRENT STATE} text, e.g. {@code Running}).
 */
final class CompatStatus {
    private CompatStatus() {
    }

    static Map<String, Object> of(Status stack) {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("service", stack.name());
        document.put("interfaces", Map.of());
        Map<String, Object> services = new LinkedHashMap<>();
        for (Status child : stack.children()) {
            services.put(child.name(), entry(child));
        }
        document.put("services", services);
        return document;
    }

    private static Map<String, Object> entry(Status child) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("name", child.name());
        if (child.type() == Status.Type.STACK) {
            entry.put("type", "stack");
            if (child.state() == Status.State.UNREACHABLE) {
                entry.put("status", "Network Error");
                entry.put("line", child.message());
            } else {
                entry.put("status", child.aggregate().name().toLowerCase(java.util.Locale.ROOT));
                entry.put("services", of(child));
            }
        } else {
            entry.put("shortName", child.name());
            entry.put("status", child.state().name().toLowerCase(java.util.Locale.ROOT));
            entry.put("line", child.message());
        }
        return entry;
    }
}
