package org.ailtire.swarm;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.transport.DockerHttpClient;

/** docker-java's own transport, for the Engine API calls docker-java 3.7.1 has no command (or no header) for. */
public final class EngineHttp {
    private EngineHttp() {
    }

    public static DockerHttpClient of(DockerClient docker) {
        if (docker instanceof DockerClientImpl impl) {
            return impl.getHttpClient();
        }
        throw new IllegalArgumentException("raw engine calls go through docker-java's DockerClientImpl, not "
                + docker.getClass().getName());
    }
}
