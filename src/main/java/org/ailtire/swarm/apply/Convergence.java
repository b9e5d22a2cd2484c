package org.ailtire.swarm.apply;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Service;
import com.github.dockerjava.api.model.ServiceUpdateState;
import com.github.dockerjava.api.model.Task;
import com.github.dockerjava.api.model.TaskState;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Waits until services run all their tasks (jobs: completed them) and stay so for the stability window, or finds
 * why they will not.
 * It reads service and task state every {@value #CHECK_MILLIS} ms while an apply is under way (as the docker
 * CLI's {@code --detach=false} does); the live status of a stack comes from the events stream instead.
 */
final class Convergence {
    static final long CHECK_MILLIS = 250;

    /** Going forward, swarm rolling a service back (its own failure_action) means the change failed. */
    private static final Set<ServiceUpdateState> FORWARD_FAILED = Set.of(ServiceUpdateState.PAUSED,
            ServiceUpdateState.ROLLBACK_STARTED, ServiceUpdateState.ROLLBACK_PAUSED,
            ServiceUpdateState.ROLLBACK_COMPLETED);
    /** Restoring the previous definition, swarm's own rollback reaches the same goal; only a pause is a failure. */
    private static final Set<ServiceUpdateState> RESTORE_FAILED = Set.of(ServiceUpdateState.PAUSED,
            ServiceUpdateState.ROLLBACK_PAUSED);
    private static final Set<ServiceUpdateState> IN_PROGRESS = Set.of(ServiceUpdateState.UPDATING,
            ServiceUpdateState.ROLLBACK_STARTED);
    private static final Set<TaskState> TERMINAL = Set.of(TaskState.COMPLETE, TaskState.FAILED, TaskState.REJECTED,
            TaskState.SHUTDOWN, TaskState.ORPHANED, TaskState.REMOVE);

    private final DockerClient docker;
    private final ApplyOptions options;
    private final Consumer<ApplyEvent> progress;
    private final Set<ServiceUpdateState> failedStates;

    private Convergence(DockerClient docker, ApplyOptions options, Consumer<ApplyEvent> progress,
                        Set<ServiceUpdateState> failedStates) {
        this.docker = docker;
        this.options = options;
        this.progress = progress;
        this.failedStates = failedStates;
    }

    /** Waits for a change going forward. */
    static Convergence forward(DockerClient docker, ApplyOptions options, Consumer<ApplyEvent> progress) {
        return new Convergence(docker, options, progress, FORWARD_FAILED);
    }

    /** Waits for services going back to their previous spec, by our update or by swarm's own rollback. */
    static Convergence restoring(DockerClient docker, ApplyOptions options, Consumer<ApplyEvent> progress) {
        return new Convergence(docker, options, progress, RESTORE_FAILED);
    }

    /**
     * @param serviceIds    services to wait for
     * @param baselineTasks ids of tasks that existed before the change; their failures do not count
     * @return empty when every service converged, else why not
     */
    Optional<String> await(Collection<String> serviceIds, Set<String> baselineTasks) {
        if (serviceIds.isEmpty()) {
            return Optional.empty();
        }
        Instant deadline = Instant.now().plus(options.convergenceTimeout());
        Map<String, Instant> convergedSince = new HashMap<>();
        Map<String, String> lastProgress = new HashMap<>();
        while (true) {
            Instant now = Instant.now();
            boolean allStable = true;
            for (String id : serviceIds) {
                Check check = check(id, baselineTasks);
                if (check.failure() != null) {
                    return Optional.of(check.failure());
                }
                if (!check.summary().equals(lastProgress.put(id, check.summary()))) {
                    progress.accept(new ApplyEvent(ApplyEvent.Phase.CONVERGE, "service " + check.name(), check.summary()));
                }
                if (check.converged()) {
                    Instant since = convergedSince.computeIfAbsent(id, k -> now);
                    allStable &= Duration.between(since, now).compareTo(options.stabilityWindow()) >= 0;
                } else {
                    convergedSince.remove(id);
                    allStable = false;
                }
            }
            if (allStable) {
                return Optional.empty();
            }
            if (now.isAfter(deadline)) {
                return Optional.of("did not converge within " + options.convergenceTimeout().toSeconds() + "s: "
                        + String.join("; ", lastProgress.values()));
            }
            sleep();
        }
    }

    private record Check(String name, boolean converged, String summary, String failure) {
    }

    private Check check(String serviceId, Set<String> baselineTasks) {
        Service service;
        try {
            service = docker.inspectServiceCmd(serviceId).exec();
        } catch (NotFoundException e) {
            return new Check(serviceId, false, "", "service " + serviceId + " disappeared during the update");
        }
        String name = service.getSpec().getName();
        var update = service.getUpdateStatus();
        if (update != null && failedStates.contains(update.getState())) {
            return new Check(name, false, "", "service " + name + ": update " + update.getState().name().toLowerCase()
                    + (update.getMessage() == null ? "" : " (" + update.getMessage() + ")"));
        }
        List<Task> tasks = docker.listTasksCmd().withServiceFilter(serviceId).exec();
        List<Task> failed = tasks.stream()
                .filter(t -> !baselineTasks.contains(t.getId()))
                .filter(t -> t.getStatus() != null
                        && (t.getStatus().getState() == TaskState.FAILED || t.getStatus().getState() == TaskState.REJECTED))
                .toList();
        var mode = service.getSpec().getMode();
        Optional<JobMode> job = mode == null || mode.getReplicated() == null && mode.getGlobal() == null
                ? JobMode.of(docker, serviceId) : Optional.empty();
        if (job.isPresent() && retriesAreBounded(service)) {
            return checkJob(name, job.get(), tasks.stream().filter(t -> !baselineTasks.contains(t.getId())).toList(), failed);
        }
        if (failed.size() >= options.failedTasksLimit()) {
            return new Check(name, false, "", "service " + name + " (image " + imageOf(service) + "): " + failed.size()
                    + " tasks failed; last: " + describe(failed.getLast()));
        }
        if (job.isPresent()) {
            return checkJob(name, job.get(), tasks.stream().filter(t -> !baselineTasks.contains(t.getId())).toList(), failed);
        }
        var desiredRunning = tasks.stream().filter(t -> t.getDesiredState() == TaskState.RUNNING).toList();
        long running = desiredRunning.stream()
                .filter(t -> t.getStatus() != null && t.getStatus().getState() == TaskState.RUNNING).count();
        var replicated = service.getSpec().getMode() == null ? null : service.getSpec().getMode().getReplicated();
        long wanted = replicated != null ? replicated.getReplicas() : Math.max(1, desiredRunning.size());
        boolean updating = update != null && IN_PROGRESS.contains(update.getState());
        boolean converged = !updating && running == wanted && desiredRunning.size() == wanted;
        // A task swarm cannot place (no node meets its constraints, no manager for a controller) says why.
        Optional<Task> unplaced = desiredRunning.stream()
                .filter(t -> t.getStatus() != null && t.getStatus().getState() == TaskState.PENDING
                        && t.getStatus().getErr() != null && !t.getStatus().getErr().isBlank())
                .findFirst();
        String summary = running + "/" + wanted + " running" + (updating ? ", updating" : "")
                + unplaced.map(t -> ", not placed (" + t.getStatus().getErr() + ")").orElse("")
                + (failed.isEmpty() ? "" : ", " + failed.size() + " failed (" + describe(failed.getLast()) + ")");
        return new Check(name, converged, summary, null);
    }

    /**
     * Whether swarm stops retrying a failing task on its own (condition none, or max attempts set): then a job's
     * failures are judged when it stops, not by the failed-tasks limit, so a job may use the attempts it was given.
     */
    private static boolean retriesAreBounded(Service service) {
        var policy = service.getSpec().getTaskTemplate() == null ? null : service.getSpec().getTaskTemplate().getRestartPolicy();
        return policy != null && (policy.getCondition() == com.github.dockerjava.api.model.ServiceRestartCondition.NONE
                || policy.getMaxAttempts() != null && policy.getMaxAttempts() > 0);
    }

    /**
     * A job has converged when its tasks completed: {@code TotalCompletions} of them, or (global job) one on every
     * node that got one. With no task left to run and fewer completions, swarm will not try again (the restart
     * policy's attempts are used up, or its condition is none): the job failed.
     */
    private static Check checkJob(String name, JobMode job, List<Task> tasks, List<Task> failed) {
        long live = tasks.stream().filter(t -> t.getStatus() != null && !TERMINAL.contains(t.getStatus().getState())).count();
        long completed = tasks.stream().filter(t -> t.getStatus() != null && t.getStatus().getState() == TaskState.COMPLETE).count();
        long wanted = job.global()
                ? tasks.stream().map(Task::getNodeId).filter(java.util.Objects::nonNull).distinct().count()
                : job.totalCompletions();
        String summary = completed + "/" + wanted + " completed" + (live > 0 ? ", " + live + " running" : "")
                + (failed.isEmpty() ? "" : ", " + failed.size() + " failed (" + describe(failed.getLast()) + ")");
        boolean done = live == 0 && !tasks.isEmpty();
        if (done && completed < wanted) {
            return new Check(name, false, summary, "job " + name + " failed: " + summary);
        }
        return new Check(name, done && completed >= wanted, summary, null);
    }

    private static String imageOf(Service service) {
        var template = service.getSpec().getTaskTemplate();
        return template == null || template.getContainerSpec() == null ? "?" : template.getContainerSpec().getImage();
    }

    private static String describe(Task task) {
        var status = task.getStatus();
        String err = status.getErr() != null && !status.getErr().isBlank() ? status.getErr() : status.getMessage();
        return status.getState().getValue() + (err == null ? "" : " \"" + err + "\"");
    }

    private static void sleep() {
        try {
            Thread.sleep(CHECK_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for convergence", e);
        }
    }
}
