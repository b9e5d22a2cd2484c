package org.ailtire.dataplane;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The runtime API commands that take HAProxy from one set of servers (by address) to another with the same
 * structure: a new task is added and enabled, a task being replaced is drained (its requests are answered, it gets no
 * new ones), a task that is gone is put in maintenance and deleted.
 */
public final class ServerChanges {
    private ServerChanges() {
    }

    /** The servers given by address, by backend. */
    static Map<String, Map<String, RouteBackend.Server>> servers(List<RouteBackend> routes) {
        Map<String, Map<String, RouteBackend.Server>> all = new LinkedHashMap<>();
        for (RouteBackend route : routes) {
            Map<String, RouteBackend.Server> byName = new LinkedHashMap<>();
            if (route.target() instanceof RouteBackend.Servers servers) {
                servers.servers().stream().filter(RouteBackend.Server::hasAddress).forEach(s -> byName.put(s.name(), s));
            }
            all.put(HaproxyConfig.backendName(route.route()), byName);
        }
        return all;
    }

    /** Commands in order: additions first, so a backend never runs out of servers in between. */
    public static List<String> between(List<RouteBackend> running, List<RouteBackend> wanted) {
        Map<String, Map<String, RouteBackend.Server>> before = servers(running);
        Map<String, Map<String, RouteBackend.Server>> after = servers(wanted);
        List<String> additions = new ArrayList<>();
        List<String> others = new ArrayList<>();
        after.forEach((backend, servers) -> {
            Map<String, RouteBackend.Server> old = before.getOrDefault(backend, Map.of());
            servers.forEach((name, server) -> {
                String id = backend + "/" + name;
                RouteBackend.Server was = old.get(name);
                if (was != null && !was.address().equals(server.address())) {
                    additions.addAll(removal(id)); // the name is taken until the old server is deleted
                    was = null;
                }
                if (was == null) {
                    additions.add("add server " + id + " " + server.address() + (server.draining() ? " weight 0" : ""));
                    if (!server.draining()) {
                        additions.add("enable server " + id);
                    }
                } else if (was.draining() != server.draining()) {
                    others.add("set server " + id + " state " + (server.draining() ? "drain" : "ready"));
                }
            });
            old.keySet().stream().filter(name -> !servers.containsKey(name))
                    .forEach(name -> others.addAll(removal(backend + "/" + name)));
        });
        List<String> commands = new ArrayList<>(additions);
        commands.addAll(others);
        return commands;
    }

    private static List<String> removal(String id) {
        return List.of("set server " + id + " state maint", "shutdown sessions server " + id, "del server " + id);
    }
}
