package org.ailtire.swarm.testsupport;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Config;
import com.github.dockerjava.api.model.Network;
import com.github.dockerjava.api.model.Secret;
import com.github.dockerjava.api.model.Service;
import com.github.dockerjava.api.model.Task;
import com.github.dockerjava.api.model.TaskState;
import org.ailtire.swarm.DockerClients;
import org.ailtire.swarm.Labels;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The real engine for integration tests. Each test works in a namespace of its own and removes every object
 * labelled with it afterwards, independently of the product's own removal code, so a failing test leaves nothing
 * behind.
 */
public final class TestSwarm implements AutoCloseable {
    /** The local image built by images/build-busybox.sh (nothing can be pulled here). */
    public static final String BUSYBOX = "ailtire/busybox:local";

    private final DockerClient docker = DockerClients.connect();
    private final String namespace;

    private TestSwarm(String namespace) {
        this.namespace = namespace;
    }

    /** An existing namespace that a test's subject creates (e.g. the stacks of a deployed application). */
    public static TestSwarm of(String namespace) {
        return new TestSwarm(namespace);
    }

    /** A fresh namespace, e.g. {@code it-observe-3f2a9c}. */
    public static TestSwarm create(String purpose) {
        return new TestSwarm("it-" + purpose + "-" + UUID.randomUUID().toString().substring(0, 6));
    }

    public DockerClient docker() {
        return docker;
    }

    public String namespace() {
        return namespace;
    }

    public Map<String, String> namespaceLabel() {
        return Map.of(Labels.NAMESPACE, namespace);
    }

    /** Labelled objects of this namespace still on the engine (services, networks, configs, secrets, volumes). */
    public List<String> leftovers() {
        return leftovers(docker, namespace);
    }

    /** As {@link #leftovers()}, with a client of the caller's; removes nothing. */
    public static List<String> leftovers(DockerClient docker, String namespace) {
        var labels = Map.of(Labels.NAMESPACE, namespace);
        var left = new java.util.ArrayList<String>();
        docker.listServicesCmd().withLabelFilter(labels).exec().forEach(s -> left.add("service " + s.getSpec().getName()));
        docker.listNetworksCmd().withFilter("label", List.of(Labels.NAMESPACE + "=" + namespace)).exec()
                .forEach(n -> left.add("network " + n.getName()));
        docker.listConfigsCmd().withFilters(Map.of("label", List.of(Labels.NAMESPACE + "=" + namespace))).exec()
                .forEach(c -> left.add("config " + c.getSpec().getName()));
        docker.listSecretsCmd().withLabelFilter(labels).exec().forEach(s -> left.add("secret " + s.getSpec().getName()));
        volumes(docker, namespace).forEach(v -> left.add("volume " + v));
        return left;
    }

    /** Removes everything labelled with this namespace and waits until the engine has really let go of it. */
    public void removeAll() {
        var labels = namespaceLabel();
        for (Service s : docker.listServicesCmd().withLabelFilter(labels).exec()) {
            ignoringMissing(() -> docker.removeServiceCmd(s.getId()).exec());
        }
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        // Networks can only go once the tasks' containers are gone.
        while (Instant.now().isBefore(deadline) && !tasksGone()) {
            sleep(200);
        }
        // Named volumes are created by the engine on the node when a task mounts them, labelled from VolumeOptions.
        for (String volume : namespaceVolumes()) {
            ignoringMissing(() -> docker.removeVolumeCmd(volume).exec());
        }
        for (Secret s : docker.listSecretsCmd().withLabelFilter(labels).exec()) {
            ignoringMissing(() -> docker.removeSecretCmd(s.getId()).exec());
        }
        for (Config c : docker.listConfigsCmd().withFilters(Map.of("label", List.of(Labels.NAMESPACE + "=" + namespace))).exec()) {
            ignoringMissing(() -> docker.removeConfigCmd(c.getId()).exec());
        }
        while (Instant.now().isBefore(deadline)) {
            List<Network> networks = docker.listNetworksCmd()
                    .withFilter("label", List.of(Labels.NAMESPACE + "=" + namespace)).exec();
            if (networks.isEmpty()) {
                break;
            }
            for (Network n : networks) {
                ignoringMissing(() -> docker.removeNetworkCmd(n.getId()).exec());
            }
            sleep(300);
        }
    }

    private List<String> namespaceVolumes() {
        return volumes(docker, namespace);
    }

    private static List<String> volumes(DockerClient docker, String namespace) {
        var volumes = docker.listVolumesCmd().withFilter("label", List.of(Labels.NAMESPACE + "=" + namespace)).exec()
                .getVolumes();
        return volumes == null ? List.of() : volumes.stream().map(v -> v.getName()).toList();
    }

    /**
     * No task is left and no container. The engine keeps the finished tasks and containers of a removed job service
     * (moby/moby#44312): such tasks count as gone, and such containers are removed here.
     */
    private boolean tasksGone() {
        List<Task> tasks = docker.listTasksCmd().withLabelFilter(namespaceLabel()).exec();
        boolean live = tasks.stream().anyMatch(t -> t.getDesiredState() != TaskState.COMPLETE
                || t.getStatus() == null || t.getStatus().getState() == null
                || !FINISHED.contains(t.getStatus().getState().getValue()));
        var containers = docker.listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(Labels.NAMESPACE, namespace)).exec();
        if (!live) {
            // Only finished job tasks are left: their stopped containers stay unless removed (before, the engine's).
            containers.stream().filter(c -> !"running".equals(c.getState()))
                    .forEach(c -> ignoringMissing(() -> docker.removeContainerCmd(c.getId()).exec()));
        }
        return !live && containers.isEmpty();
    }

    private static final java.util.Set<String> FINISHED = java.util.Set.of("complete", "shutdown", "failed",
            "rejected", "orphaned", "remove");

    private static void ignoringMissing(Runnable action) {
        try {
            action.run();
        } catch (com.github.dockerjava.api.exception.NotFoundException ignored) {
            // already gone
        } catch (RuntimeException e) {
            System.err.println("cleanup: " + e.getMessage());
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        try {
            removeAll();
        } finally {
            try {
                docker.close();
            } catch (java.io.IOException ignored) {
                // closing the HTTP client
            }
        }
    }
}
