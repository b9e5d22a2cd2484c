package org.ailtire.images;

import com.github.dockerjava.api.DockerClient;
import org.ailtire.swarm.DockerClients;

import java.net.InetAddress;

/**
 * Runs inside the controller image (copied in by {@link ControllerImageIT}): proves that the image's Java
 * runtime has what docker-java needs to reach the engine over the mounted socket, and that host names resolve
 * through the C library (nsswitch, Docker's embedded DNS) as swarm service names will. Exits non-zero on failure.
 */
public final class EngineProbe {
    private EngineProbe() {
    }

    public static void main(String[] names) throws Exception {
        try (DockerClient docker = DockerClients.connect()) {
            docker.pingCmd().exec();
            System.out.println("engine api " + docker.versionCmd().exec().getApiVersion());
            System.out.println("swarm " + docker.infoCmd().exec().getSwarm().getLocalNodeState());
        }
        for (String name : names) {
            System.out.println("resolved " + name + " " + InetAddress.getByName(name).getHostAddress());
        }
    }
}
