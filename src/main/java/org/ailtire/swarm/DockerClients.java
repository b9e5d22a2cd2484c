package org.ailtire.swarm;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;

import java.net.URI;
import java.time.Duration;

/**
 * Opens the Engine API client. The host comes from {@code DOCKER_HOST} (default the local unix socket); no API
 * version is pinned, so the engine's own is used (Debian's engine speaks 1.41).
 */
public final class DockerClients {
    private DockerClients() {
    }

    public static DockerClient connect() {
        return connect(DefaultDockerClientConfig.createDefaultConfigBuilder().build());
    }

    /** Talks to the engine that {@code DOCKER_HOST} in {@code environment} names, the local socket without it. */
    public static DockerClient connect(java.util.Map<String, String> environment) {
        String host = environment.get("DOCKER_HOST");
        return host == null || host.isBlank() ? connect() : connect(URI.create(host));
    }

    /** Talks to the engine at {@code dockerHost}, e.g. {@code unix:///var/run/docker.sock} or {@code tcp://host:2375}. */
    public static DockerClient connect(URI dockerHost) {
        return connect(DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost(dockerHost.toString())
                .build());
    }

    private static DockerClient connect(DefaultDockerClientConfig config) {
        ApacheDockerHttpClient http = new ApacheDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost())
                .sslConfig(config.getSSLConfig())
                .maxConnections(64)
                .connectionTimeout(Duration.ofSeconds(10))
                .build();
        return DockerClientImpl.getInstance(config, http);
    }
}
