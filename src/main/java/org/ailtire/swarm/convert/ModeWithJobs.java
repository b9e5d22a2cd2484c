package org.ailtire.swarm.convert;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.github.dockerjava.api.model.ServiceModeConfig;

import java.io.Serializable;
import java.util.Objects;

/** docker-java 3.7.1's {@link ServiceModeConfig} lacks the Engine API's jobs (API 1.41); this subclass adds them. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ModeWithJobs extends ServiceModeConfig {
    private static final long serialVersionUID = 1L;

    @JsonProperty("ReplicatedJob")
    private final ReplicatedJob replicatedJob;
    @JsonProperty("GlobalJob")
    private final GlobalJob globalJob;

    private ModeWithJobs(ReplicatedJob replicatedJob, GlobalJob globalJob) {
        this.replicatedJob = replicatedJob;
        this.globalJob = globalJob;
    }

    /**
     * {@code completions} tasks run to completion, as many at a time (docker's mapping of {@code replicas}); null
     * leaves both to the engine (one).
     */
    public static ModeWithJobs replicatedJob(Long completions) {
        return new ModeWithJobs(new ReplicatedJob(completions, completions), null);
    }

    /** One task per node, run to completion. */
    public static ModeWithJobs globalJob() {
        return new ModeWithJobs(null, new GlobalJob());
    }

    public ReplicatedJob getReplicatedJob() {
        return replicatedJob;
    }

    public GlobalJob getGlobalJob() {
        return globalJob;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ReplicatedJob(@JsonProperty("MaxConcurrent") Long maxConcurrent,
                                @JsonProperty("TotalCompletions") Long totalCompletions) implements Serializable {
    }

    /** Serialized as {@code {}}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record GlobalJob() implements Serializable {
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModeWithJobs other && super.equals(other) && Objects.equals(replicatedJob, other.replicatedJob)
                && Objects.equals(globalJob, other.globalJob);
    }

    @Override
    protected boolean canEqual(Object other) {
        return other instanceof ModeWithJobs;
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), replicatedJob, globalJob);
    }

    @Override
    public String toString() {
        return super.toString() + "(replicatedJob=" + replicatedJob + ", globalJob=" + globalJob + ")";
    }
}
