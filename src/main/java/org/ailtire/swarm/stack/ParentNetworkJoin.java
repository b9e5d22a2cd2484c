package org.ailtire.swarm.stack;

import com.github.dockerjava.api.DockerClient;
import org.ailtire.swarm.topology.StackPlace;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;
import java.util.function.Supplier;

/**
 * Joins this controller's own container to a child stack's parent network for as long as it takes to ask the child
 * something. A controller that its parent restarted with a definition dropping a child is no longer on that child's
 * parent network (the parent gave it the networks of the new definition), and that network is the only way to the
 * child's controller. The networks a parent makes for its children are attachable for this.
 */
final class ParentNetworkJoin {
    private static final Logger LOG = LoggerFactory.getLogger(ParentNetworkJoin.class);

    private final DockerClient docker;
    private final StackPlace place;
    private final Supplier<Optional<String>> ownContainer;

    /** @param ownContainer the id (or its prefix) of the container this controller runs in, if it runs in one */
    ParentNetworkJoin(DockerClient docker, StackPlace place, Supplier<Optional<String>> ownContainer) {
        this.docker = docker;
        this.place = place;
        this.ownContainer = ownContainer;
    }

    /** A container's host name is the prefix of its id unless the service sets one (a controller's does not). */
    static Optional<String> hostName() {
        return Optional.ofNullable(System.getenv("HOSTNAME")).filter(h -> !h.isBlank());
    }

    /**
     * Joins the parent network of child stack {@code key} unless this container is on it already.
     *
     * @return what leaves it again (nothing to do when it was on it before or could not join)
     */
    Runnable join(String key) {
        String network = place.child(key).parentNetwork();
        Optional<String> self = ownContainer.get();
        if (self.isEmpty()) {
            return () -> { };
        }
        try {
            var networks = docker.inspectContainerCmd(self.get()).exec().getNetworkSettings().getNetworks();
            if (networks != null && networks.containsKey(network)) {
                return () -> { };
            }
            docker.connectToNetworkCmd().withNetworkId(network).withContainerId(self.get()).exec();
            LOG.info("joined {} to reach child stack {}", network, key);
        } catch (RuntimeException e) {
            LOG.info("cannot join {} to reach child stack {}: {}", network, key, e.getMessage());
            return () -> { };
        }
        return () -> {
            try {
                docker.disconnectFromNetworkCmd().withNetworkId(network).withContainerId(self.get()).withForce(true)
                        .exec();
            } catch (RuntimeException e) {
                LOG.warn("cannot leave {}: {}", network, e.getMessage());
            }
        };
    }
}
