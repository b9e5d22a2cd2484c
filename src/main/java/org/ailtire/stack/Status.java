package org.ailtire.stack;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.ailtire.policy.DefinitionPolicy;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The status of a service or of a stack; a stack's status holds its services' statuses first, then its child
 * stacks' statuses (recursively).
 *
 * @param state     what the service (or the stack's controller) is doing
 * @param message   the last log line, or why the state is what it is; may be empty
 * @param aggregate for stacks only: the summary of the children ({@link Aggregate#of}); null for services
 * @param url       for child stacks: where their controller is reached; null otherwise
 * @param nodes     for services: the nodes (host names) their running tasks are on; empty when unknown
 * @param placement for services: how many running tasks are on each node, by node name; empty when unknown (and then
 *                  left out of the JSON, so peers that do not know it see nothing new)
 * @param cluster   for the stack a caller asked about: the swarm's nodes; null in the statuses of its child stacks
 *                  (the same swarm runs the whole tree, so its nodes are told once)
 * @param policy    for stacks: the definition policy the stack checks definitions against (see
 *                  {@link DefinitionPolicy}); null for services, and for stacks that do not tell it
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Status(Type type, String name, State state, String message, Aggregate aggregate, String url,
                     Instant updatedAt, List<Status> children, List<String> nodes,
                     @JsonInclude(JsonInclude.Include.NON_EMPTY) List<Placement> placement, List<Node> cluster,
                     DefinitionPolicy policy) {

    /**
     * One swarm node.
     *
     * @param role         {@code manager} or {@code worker}
     * @param state        {@code ready}, {@code down}, {@code disconnected} or {@code unknown}
     * @param availability {@code active}, {@code pause} or {@code drain}
     */
    public record Node(String name, String role, String state, String availability) {
        public Node {
            Objects.requireNonNull(name, "name");
        }

        /** Ready and active: it runs tasks. */
        @com.fasterxml.jackson.annotation.JsonIgnore
        public boolean healthy() {
            return "ready".equals(state) && "active".equals(availability);
        }
    }

    /**
     * The running tasks of a service on one node.
     *
     * @param node  the node's host name (its id when the swarm does not list it)
     * @param tasks how many of the service's tasks run there
     */
    public record Placement(String node, int tasks) {
        public Placement {
            Objects.requireNonNull(node, "node");
        }
    }

    public enum Type { SERVICE, STACK }

    /**
     * What one service or stack controller is doing. {@code DRIFTED}: a stack whose objects on the engine differ from
     * what its definition produced (changed or removed behind its controller's back); the message names each
     * difference. {@code COMPLETED}: a job whose tasks all completed.
     */
    public enum State { STARTING, RUNNING, UPDATING, STOPPING, STOPPED, FAILED, UNREACHABLE, DRIFTED, COMPLETED }

    public Status {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(updatedAt, "updatedAt");
        message = message == null ? "" : message;
        children = children == null ? List.of() : List.copyOf(children);
        nodes = nodes == null ? List.of() : List.copyOf(nodes);
        placement = placement == null ? List.of() : List.copyOf(placement);
        cluster = cluster == null ? null : List.copyOf(cluster);
        if (type == Type.SERVICE && (aggregate != null || !children.isEmpty())) {
            throw new IllegalArgumentException("a service status has no aggregate and no children: " + name);
        }
        if (type == Type.STACK && aggregate == null) {
            throw new IllegalArgumentException("a stack status needs an aggregate: " + name);
        }
    }

    public static Status service(String name, State state, String message, Instant updatedAt) {
        return new Status(Type.SERVICE, name, state, message, null, null, updatedAt, List.of(), List.of(), List.of(),
                null, null);
    }

    /** A stack whose aggregate is computed from its children. */
    public static Status stack(String name, State state, String message, String url, Instant updatedAt,
                               List<Status> children) {
        return new Status(Type.STACK, name, state, message, Aggregate.of(children), url, updatedAt, children,
                List.of(), List.of(), null, null);
    }

    /** A child stack that stopped answering: what it last reported is kept, but marked unreachable. */
    public Status unreachable(String why, Instant at) {
        return new Status(type, name, State.UNREACHABLE, why, type == Type.STACK ? Aggregate.UNREACHABLE : null,
                url, at, children, nodes, placement, cluster, policy);
    }

    /**
     * The same status seen under another name and url: the parent's view of a registered child, without the
     * swarm's nodes, which the parent tells itself.
     */
    public Status as(String newName, String newUrl) {
        return new Status(type, newName, state, message, aggregate, newUrl, updatedAt, children, nodes, placement,
                null, policy);
    }

    /** The same service status, running on these nodes. */
    public Status onNodes(List<String> newNodes) {
        return new Status(type, name, state, message, aggregate, url, updatedAt, children, newNodes, placement,
                cluster, policy);
    }

    /** The same service status, with this many running tasks on each node. */
    public Status placed(List<Placement> tasksByNode) {
        return new Status(type, name, state, message, aggregate, url, updatedAt, children, nodes, tasksByNode, cluster,
                policy);
    }

    /** The same stack status, with the swarm's nodes (null or empty: none told). */
    public Status withCluster(List<Node> nodesOfTheSwarm) {
        return new Status(type, name, state, message, aggregate, url, updatedAt, children, nodes, placement,
                nodesOfTheSwarm == null || nodesOfTheSwarm.isEmpty() ? null : nodesOfTheSwarm, policy);
    }

    /** The same stack status, telling the policy it checks definitions against (null: not told). */
    public Status withPolicy(DefinitionPolicy checkedAgainst) {
        return new Status(type, name, state, message, aggregate, url, updatedAt, children, nodes, placement,
                cluster, checkedAgainst);
    }
}
