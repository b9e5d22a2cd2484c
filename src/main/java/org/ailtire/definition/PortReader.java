package org.ailtire.definition;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.ailtire.definition.ServiceDefinition.Port;

/**
 * Reads {@code ports}: short syntax {@code "80"}, {@code "8080:80"}, {@code "8080:80/udp"}, ranges
 * {@code "8000-8001:80-81"}, and the long syntax. A host IP cannot be honoured by swarm and is an error. The
 * protocol defaults to TCP; the publish mode is null unless written (the converter picks the default).
 */
final class PortReader {
    private static final Pattern RANGE = Pattern.compile("(\\d+)(?:-(\\d+))?");
    private static final Set<String> LONG_KEYS = Set.of("target", "published", "protocol", "mode", "host_ip");

    private PortReader() {
    }

    static List<Port> read(Object value, String path, Problems problems) {
        List<Port> ports = new ArrayList<>();
        if (!(value instanceof List<?> list)) {
            problems.error(path, "expected a list, got " + Values.describe(value));
            return ports;
        }
        for (int i = 0; i < list.size(); i++) {
            String itemPath = Problems.index(path, i);
            Object item = list.get(i);
            if (item instanceof Map<?, ?>) {
                Port port = longSyntax(Fields.of(item, itemPath, problems));
                if (port != null) {
                    ports.add(port);
                }
            } else if (item instanceof Scalar scalar && scalar.kind() != Scalar.Kind.BOOL) {
                ports.addAll(shortSyntax(scalar.text(), itemPath, problems));
            } else {
                problems.error(itemPath, "expected a port such as \"8080:80\" or a mapping, got " + Values.describe(item));
            }
        }
        return ports;
    }

    private static List<Port> shortSyntax(String text, String path, Problems problems) {
        String spec = text;
        Port.Protocol protocol = Port.Protocol.TCP;
        int slash = spec.indexOf('/');
        if (slash >= 0) {
            protocol = Values.choice(Scalar.string(spec.substring(slash + 1)), path, problems, Port.Protocol.class);
            spec = spec.substring(0, slash);
        }
        String[] parts = spec.split(":", -1);
        if (parts.length > 2) {
            problems.error(path, "a host IP (\"" + text + "\") is not supported by swarm; publish as \"published:target\"");
            return List.of();
        }
        int[] targets = range(parts[parts.length - 1], text, path, problems);
        int[] published = parts.length == 2 ? range(parts[0], text, path, problems) : null;
        if (targets == null || parts.length == 2 && published == null || protocol == null) {
            return List.of();
        }
        if (published != null && published.length != targets.length) {
            problems.error(path, "published and target port ranges differ in size in \"" + text + "\"");
            return List.of();
        }
        List<Port> ports = new ArrayList<>();
        for (int i = 0; i < targets.length; i++) {
            ports.add(new Port(targets[i], published == null ? null : published[i], protocol, null));
        }
        return ports;
    }

    private static int[] range(String text, String whole, String path, Problems problems) {
        Matcher m = RANGE.matcher(text.trim());
        if (!m.matches()) {
            problems.error(path, "invalid port \"" + whole + "\": expected \"[published:]target[/protocol]\"");
            return null;
        }
        long first = Long.parseLong(m.group(1));
        long last = m.group(2) == null ? first : Long.parseLong(m.group(2));
        if (!inRange(first, path, problems) || !inRange(last, path, problems)) {
            return null;
        }
        if (last < first) {
            problems.error(path, "invalid port range \"" + text + "\": end before start");
            return null;
        }
        int[] ports = new int[(int) (last - first + 1)];
        for (int i = 0; i < ports.length; i++) {
            ports[i] = (int) first + i;
        }
        return ports;
    }

    private static Port longSyntax(Fields port) {
        port.checkKeys(LONG_KEYS, Map.of("name", Fields.NOT_SUPPORTED_YET, "app_protocol", Fields.NOT_SUPPORTED_YET), false);
        if (port.has("host_ip")) {
            port.error("host_ip", "not supported by swarm: a published port listens on every address");
        }
        Integer target = port.integer("target");
        if (target == null && !port.has("target")) {
            port.error("target", "required: the container port");
        }
        Integer published = port.integer("published");
        boolean valid = (target == null || inRange(target, port.at("target"), port.problems()))
                & (published == null || inRange(published, port.at("published"), port.problems()));
        Port.Protocol protocol = port.has("protocol") ? port.choice("protocol", Port.Protocol.class) : Port.Protocol.TCP;
        Port.PublishMode mode = port.choice("mode", Port.PublishMode.class);
        return target == null || !valid || protocol == null ? null : new Port(target, published, protocol, mode);
    }

    private static boolean inRange(long port, String path, Problems problems) {
        if (port < 1 || port > 65535) {
            problems.error(path, "port out of range (1-65535): " + port);
            return false;
        }
        return true;
    }
}
