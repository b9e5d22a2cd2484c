package org.ailtire.swarm.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.TaskState;
import org.ailtire.swarm.DockerClients;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The multi-node swarm that {@code scripts/cluster up} started on this machine (nodes are Docker engines in
 * containers), read from the {@code cluster.json} it wrote. Tests reach each node's engine through its socket, and stop
 * or start node containers through the same script.
 */
public final class TestCluster implements AutoCloseable {
    public static final Path DESCRIPTION = Path.of(Optional.ofNullable(System.getenv("AILTIRE_CLUSTER_FILE"))
            .orElse("/var/run/ailtire-cluster/cluster.json"));

    /** One node: its name is its host name and its swarm node name. */
    public record Node(String name, String role, String address, URI socket) {
        public boolean manager() {
            return "manager".equals(role);
        }
    }

    private final List<Node> nodes;
    private final JsonNode description;
    private final Map<String, DockerClient> clients = new ConcurrentHashMap<>();

    private TestCluster(JsonNode description) {
        this.description = description;
        List<Node> read = new ArrayList<>();
        for (JsonNode node : description.get("nodes")) {
            read.add(new Node(node.get("name").asText(), node.get("role").asText(), node.get("address").asText(),
                    URI.create(node.get("socket").asText())));
        }
        this.nodes = List.copyOf(read);
    }

    /** The running cluster; fails with how to start one when there is none. */
    public static TestCluster require() {
        if (!Files.isRegularFile(DESCRIPTION)) {
            throw new IllegalStateException("no test cluster: " + DESCRIPTION + " is missing (start one with "
                    + "scripts/cluster up; scripts/test does)");
        }
        try {
            return new TestCluster(new ObjectMapper().readTree(DESCRIPTION.toFile()));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + DESCRIPTION, e);
        }
    }

    public List<Node> nodes() {
        return nodes;
    }

    public List<Node> workers() {
        return nodes.stream().filter(n -> !n.manager()).toList();
    }

    public List<Node> managers() {
        return nodes.stream().filter(Node::manager).toList();
    }

    public Node node(String name) {
        return nodes.stream().filter(n -> n.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no node " + name + " in " + nodes));
    }

    /** The first manager, where deploys go (DOCKER_HOST of the cluster tests). */
    public Node leader() {
        return managers().getFirst();
    }

    /** The engine of one node (kept open until {@link #close()}). */
    public DockerClient docker(Node node) {
        return clients.computeIfAbsent(node.name(), n -> DockerClients.connect(node.socket()));
    }

    /** A value of the cluster's description, e.g. {@code AILTIRE_CLUSTER_REGISTRY}. */
    public String setting(String key) {
        JsonNode value = description.get(key);
        if (value == null) {
            throw new IllegalStateException(key + " is not in " + DESCRIPTION);
        }
        return value.asText();
    }

    /** Starts again every node whose engine does not answer (one a failed test left stopped); closes the clients. */
    public void restoreAndClose() {
        try {
            for (Node node : nodes) {
                try {
                    docker(node).pingCmd().exec();
                } catch (RuntimeException down) {
                    start(node);
                }
            }
        } finally {
            close();
        }
    }

    /**
     * The node a running task of the engine service runs on, as the first manager sees it.
     *
     * @throws AssertionError when no task of it runs
     */
    public Node nodeRunning(String serviceName) {
        DockerClient manager = docker(leader());
        String id = manager.listServicesCmd().withNameFilter(List.of(serviceName)).exec().stream()
                .filter(s -> s.getSpec().getName().equals(serviceName)).findFirst()
                .orElseThrow(() -> new AssertionError("no service " + serviceName)).getId();
        String nodeId = manager.listTasksCmd().withServiceFilter(id).exec().stream()
                .filter(t -> t.getDesiredState() == TaskState.RUNNING && t.getStatus() != null
                        && t.getStatus().getState() == TaskState.RUNNING)
                .findFirst().orElseThrow(() -> new AssertionError("no running task of " + serviceName)).getNodeId();
        return node(manager.listSwarmNodesCmd().withIdFilter(List.of(nodeId)).exec().getFirst().getDescription()
                .getHostname());
    }

    /** {@code scripts/cluster stop NODE --kill}: the node's container is killed, as a machine that dies. */
    public void kill(Node node) {
        script("stop", node.name(), "--kill");
        clients.remove(node.name());
    }

    /** {@code scripts/cluster start NODE}: the node's engine comes back and rejoins the swarm. */
    public void start(Node node) {
        script("start", node.name());
    }

    private static void script(String... args) {
        List<String> command = new ArrayList<>(List.of("bash", "scripts/cluster"));
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).inheritIO().start();
            if (!process.waitFor(240, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " failed");
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + command, e);
        }
    }

    @Override
    public void close() {
        clients.values().forEach(c -> {
            try {
                c.close();
            } catch (IOException ignored) {
                // closing the HTTP client
            }
        });
        clients.clear();
    }
}
