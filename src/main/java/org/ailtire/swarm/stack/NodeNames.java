package org.ailtire.swarm.stack;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.SwarmNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Host names of swarm nodes by node id, for the status tree. Tasks name their node by id; the names are read in
 * the background when an unknown id shows up (never on the caller's thread), and {@code onLearned} runs then so the
 * tree can be pushed again with them.
 */
final class NodeNames {
    private static final Logger LOG = LoggerFactory.getLogger(NodeNames.class);

    private final DockerClient docker;
    private final Executor executor;
    private final Runnable onLearned;
    private final Map<String, String> names = new ConcurrentHashMap<>();
    private final AtomicBoolean reading = new AtomicBoolean();

    NodeNames(DockerClient docker, Executor executor, Runnable onLearned) {
        this.docker = docker;
        this.executor = executor;
        this.onLearned = onLearned;
    }

    /** The host names of the nodes known so far, in order and without repeats. */
    List<String> of(Collection<String> nodeIds) {
        if (nodeIds.stream().filter(Objects::nonNull).anyMatch(id -> !names.containsKey(id))) {
            readInBackground();
        }
        return nodeIds.stream().map(names::get).filter(Objects::nonNull).distinct().sorted().toList();
    }

    private void readInBackground() {
        if (!reading.compareAndSet(false, true)) {
            return;
        }
        executor.execute(() -> {
            try {
                for (SwarmNode node : docker.listSwarmNodesCmd().exec()) {
                    String host = node.getDescription() != null ? node.getDescription().getHostname() : null;
                    names.put(node.getId(), host != null ? host : node.getId());
                }
                onLearned.run();
            } catch (RuntimeException e) {
                LOG.debug("reading swarm nodes: {}", e.toString());
            } finally {
                reading.set(false);
            }
        });
    }
}
