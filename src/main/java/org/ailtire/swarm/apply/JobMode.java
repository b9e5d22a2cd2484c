package org.ailtire.swarm.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.DockerClient;

import java.util.Optional;

/**
 * A job's mode as the engine keeps it. docker-java 3.7.1 reads neither {@code ReplicatedJob} nor {@code GlobalJob},
 * so a service whose mode it sees as neither replicated nor global is read again as raw JSON.
 *
 * @param totalCompletions how many tasks must complete (replicated-job), null for a global job
 */
record JobMode(boolean global, Long totalCompletions) {
    static Optional<JobMode> of(DockerClient docker, String serviceId) {
        JsonNode mode = RawServiceSpec.read(docker, serviceId).spec().path("Mode");
        if (mode.has("GlobalJob")) {
            return Optional.of(new JobMode(true, null));
        }
        if (mode.has("ReplicatedJob")) {
            JsonNode total = mode.path("ReplicatedJob").path("TotalCompletions");
            return Optional.of(new JobMode(false, total.isNumber() ? total.asLong() : 1L));
        }
        return Optional.empty();
    }
}
