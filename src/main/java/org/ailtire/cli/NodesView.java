package org.ailtire.cli;

import org.ailtire.stack.Status;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The whole tree's running tasks by node, from a status: each node the swarm lists, in its order, with the tasks of
 * every service of the tree on it ({@code backend/db/store}, in the tree's order); then the nodes the services name
 * that the swarm does not list (state {@code unknown}, no role or availability). This is the JSON of
 * {@code status --nodes --output json}.
 *
 * @param nodes the nodes, each with its tasks (none: an empty list)
 */
record NodesView(List<NodeTasks> nodes) {
    private static final String UNKNOWN = "unknown";

    /** One node and what runs on it; role and availability are null for a node the swarm does not list. */
    record NodeTasks(String name, String role, String state, String availability, List<Tasks> tasks) {
        /** Ready and active: it runs tasks. */
        boolean healthy() {
            return "ready".equals(state) && "active".equals(availability);
        }
    }

    /**
     * @param path  the service's path in the tree, below the stack asked ({@code backend/db/store})
     * @param count how many of its tasks run on the node
     */
    record Tasks(String path, int count) {
    }

    static NodesView of(Status root) {
        Map<String, List<Tasks>> byNode = new LinkedHashMap<>();
        List<Status.Node> cluster = root.cluster() == null ? List.of() : root.cluster();
        cluster.forEach(node -> byNode.put(node.name(), new ArrayList<>()));
        Map<String, List<Tasks>> elsewhere = new TreeMap<>();
        collect(root, "", byNode, elsewhere);
        List<NodeTasks> nodes = new ArrayList<>();
        for (Status.Node node : cluster) {
            nodes.add(new NodeTasks(node.name(), node.role(), node.state(), node.availability(),
                    List.copyOf(byNode.get(node.name()))));
        }
        elsewhere.forEach((name, tasks) -> nodes.add(new NodeTasks(name, null, UNKNOWN, null, List.copyOf(tasks))));
        return new NodesView(List.copyOf(nodes));
    }

    private static void collect(Status stack, String prefix, Map<String, List<Tasks>> known,
                                Map<String, List<Tasks>> elsewhere) {
        for (Status child : stack.children()) {
            String path = prefix + child.name();
            if (child.type() == Status.Type.STACK) {
                collect(child, path + "/", known, elsewhere);
                continue;
            }
            for (Status.Placement placed : child.placement()) {
                List<Tasks> tasks = known.containsKey(placed.node()) ? known.get(placed.node())
                        : elsewhere.computeIfAbsent(placed.node(), name -> new ArrayList<>());
                tasks.add(new Tasks(path, placed.tasks()));
            }
        }
    }
}
