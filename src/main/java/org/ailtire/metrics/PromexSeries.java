package org.ailtire.metrics;

import java.util.Set;

/**
 * Keeps the frontend, backend and server series of HAProxy's Prometheus exporter ({@code haproxy_frontend_*},
 * {@code haproxy_backend_*}, {@code haproxy_server_*}, with their HELP and TYPE lines) and gives each sample a
 * {@code stack} label, so the gateways of several stacks can be told apart. Process-wide series and the exporter's
 * own frontend are left out.
 */
public final class PromexSeries {
    private static final Set<String> KEPT = Set.of("haproxy_frontend_", "haproxy_backend_", "haproxy_server_");

    private PromexSeries() {
    }

    /** @param exported what the exporter answered (text format 0.0.4) */
    public static String relabel(String exported, String stack, String exporterFrontend) {
        String label = "stack=\"" + escape(stack) + "\"";
        String own = "proxy=\"" + exporterFrontend + "\"";
        StringBuilder out = new StringBuilder(exported.length());
        for (String line : exported.split("\n")) {
            if (line.startsWith("# HELP ") || line.startsWith("# TYPE ")) {
                if (kept(line.substring(7))) {
                    out.append(line).append('\n');
                }
            } else if (!line.isBlank() && !line.startsWith("#") && kept(line) && !line.contains(own)) {
                int brace = line.indexOf('{');
                int space = line.indexOf(' ');
                if (brace >= 0 && (space < 0 || brace < space)) {
                    boolean empty = line.charAt(brace + 1) == '}';
                    out.append(line, 0, brace + 1).append(label).append(empty ? "" : ",")
                            .append(line, brace + 1, line.length());
                } else if (space > 0) {
                    out.append(line, 0, space).append('{').append(label).append('}').append(line, space, line.length());
                } else {
                    continue;
                }
                out.append('\n');
            }
        }
        return out.toString();
    }

    private static boolean kept(String nameFirst) {
        return KEPT.stream().anyMatch(nameFirst::startsWith);
    }

    /** A label value in the text format: backslash, double quote and line feed escaped. */
    static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
