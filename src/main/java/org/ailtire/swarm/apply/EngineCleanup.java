package org.ailtire.swarm.apply;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import org.ailtire.swarm.Labels;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;

/**
 * Removes engine objects in the order the engine accepts (services, then, once their containers are gone,
 * configs, secrets and networks) and waits until they are really gone.
 */
final class EngineCleanup {
    private static final Logger log = LoggerFactory.getLogger(EngineCleanup.class);

    private static final String SERVICE_ID = "com.docker.swarm.service.id";
    private static final java.util.Set<String> TERMINAL = java.util.Set.of("complete", "shutdown", "failed", "rejected",
            "orphaned", "remove");

    private final DockerClient docker;
    private final Duration timeout;

    EngineCleanup(DockerClient docker, Duration timeout) {
        this.docker = docker;
        this.timeout = timeout;
    }

    void removeServices(Collection<String> serviceIds) {
        for (String id : serviceIds) {
            ignoringMissing(() -> docker.removeServiceCmd(id).exec());
        }
        Instant deadline = Instant.now().plus(timeout);
        java.util.Set<String> finishedJobs = new java.util.HashSet<>();
        await(deadline, () -> serviceIds.stream().allMatch(id -> serviceGone(id, finishedJobs))
                && removeFinishedContainers(containersOf(serviceIds), finishedJobs).isEmpty());
    }

    /**
     * The engine (20.10) keeps the finished tasks and containers of a removed job service (moby/moby#44312,
     * #42789): such a job's containers on this node are removed here, once stopped; those on other nodes stay on
     * them. Other services' containers are the engine's to remove (removing them here would race with it).
     *
     * @param finishedJobs removed job services whose tasks all finished
     * @return the containers still there
     */
    private List<Container> removeFinishedContainers(List<Container> containers, java.util.Set<String> finishedJobs) {
        List<Container> left = new java.util.ArrayList<>();
        for (Container c : containers) {
            if (finishedJobs.contains(c.getLabels().get(SERVICE_ID)) && !"running".equals(c.getState())) {
                try {
                    docker.removeContainerCmd(c.getId()).exec();
                    continue;
                } catch (NotFoundException gone) {
                    continue;
                } catch (RuntimeException e) {
                    log.debug("container {} not removable yet: {}", c.getId(), e.getMessage());
                }
            }
            left.add(c);
        }
        return left;
    }

    /** Configs and secrets stay in use until the last task that mounted them is gone: retry until then. */
    void removeConfigs(Collection<String> ids) {
        removeRetrying(ids, id -> docker.removeConfigCmd(id).exec(), "config");
    }

    void removeSecrets(Collection<String> ids) {
        removeRetrying(ids, id -> docker.removeSecretCmd(id).exec(), "secret");
    }

    private void removeRetrying(Collection<String> ids, java.util.function.Consumer<String> remove, String kind) {
        java.util.Set<String> left = new java.util.LinkedHashSet<>(ids);
        Instant deadline = Instant.now().plus(timeout);
        await(deadline, () -> {
            for (var it = left.iterator(); it.hasNext(); ) {
                String id = it.next();
                try {
                    remove.accept(id);
                    it.remove();
                } catch (NotFoundException gone) {
                    it.remove();
                } catch (RuntimeException stillInUse) {
                    log.debug("{} {} not removable yet: {}", kind, id, stillInUse.getMessage());
                }
            }
            return left.isEmpty();
        });
    }

    /** Networks can lag behind their last container by a moment; retry until they go or time runs out. */
    void removeNetworks(Collection<String> ids) {
        Instant deadline = Instant.now().plus(timeout);
        await(deadline, () -> {
            boolean allGone = true;
            for (String id : ids) {
                try {
                    docker.removeNetworkCmd(id).exec();
                } catch (NotFoundException gone) {
                    continue;
                } catch (RuntimeException stillInUse) {
                    log.debug("network {} not removable yet: {}", id, stillInUse.getMessage());
                    allGone = false;
                }
            }
            return allGone;
        });
    }

    /** @param finishedJobs gets the id when the service is gone but left a job's finished tasks */
    private boolean serviceGone(String id, java.util.Set<String> finishedJobs) {
        try {
            docker.inspectServiceCmd(id).exec();
            return false;
        } catch (NotFoundException e) {
            try {
                // The tasks of a removed service go once their networks are released, except a removed job's
                // finished tasks, which are never removed (see removeFinishedContainers) and hold nothing.
                var tasks = docker.listTasksCmd().withServiceFilter(id).exec();
                if (!tasks.isEmpty() && tasks.stream().allMatch(EngineCleanup::finishedJobTask)) {
                    finishedJobs.add(id);
                    return true;
                }
                return tasks.isEmpty();
            } catch (NotFoundException taskFilterOfRemovedService) {
                return true; // the engine refuses the filter once the service is gone; its containers are checked apart
            }
        }
    }

    /** A task of a job (swarm wants it complete) that has finished. */
    static boolean finishedJobTask(com.github.dockerjava.api.model.Task task) {
        return task.getDesiredState() == com.github.dockerjava.api.model.TaskState.COMPLETE
                && task.getStatus() != null && task.getStatus().getState() != null
                && TERMINAL.contains(task.getStatus().getState().getValue());
    }

    private List<Container> containersOf(Collection<String> serviceIds) {
        return docker.listContainersCmd().withShowAll(true)
                .withLabelFilter(List.of(SERVICE_ID)).exec().stream()
                .filter(c -> serviceIds.contains(c.getLabels().get(SERVICE_ID)))
                .toList();
    }

    private static void await(Instant deadline, Supplier<Boolean> done) {
        while (!done.get()) {
            if (Instant.now().isAfter(deadline)) {
                return;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    static void ignoringMissing(Runnable action) {
        try {
            action.run();
        } catch (NotFoundException alreadyGone) {
            // the goal is reached
        }
    }
}
