package org.ailtire.controller;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * Restarts the Docker daemon of this machine, as a crash or an upgrade would: SIGTERM to dockerd (every container
 * stops; swarm mode is incompatible with live-restore), then {@code .ci/docker-up} starts it again and waits for
 * the engine. Only for tests that own the engine while they run (integration tests run one at a time).
 */
final class EngineRestart {
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(90);

    private EngineRestart() {
    }

    static void restart() throws IOException, InterruptedException {
        ProcessHandle dockerd = ProcessHandle.allProcesses()
                .filter(p -> p.info().command().map(c -> c.endsWith("/dockerd")).orElse(false))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no dockerd process on this machine to restart"));
        dockerd.destroy();
        Instant deadline = Instant.now().plus(STOP_TIMEOUT);
        while (dockerd.isAlive() && Instant.now().isBefore(deadline)) {
            Thread.sleep(200);
        }
        if (dockerd.isAlive()) {
            throw new IllegalStateException("dockerd did not stop within " + STOP_TIMEOUT.toSeconds() + " s");
        }
        Path up = Path.of(".ci/docker-up");
        if (!Files.isRegularFile(up)) {
            throw new IllegalStateException("run from the project directory: " + up.toAbsolutePath() + " is missing");
        }
        Process start = new ProcessBuilder("bash", up.toString()).inheritIO().start();
        if (start.waitFor() != 0) {
            throw new IllegalStateException(".ci/docker-up failed with exit code " + start.exitValue());
        }
    }
}
