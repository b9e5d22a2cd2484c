package org.ailtire.swarm.observe;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Service;
import com.github.dockerjava.api.model.SwarmNode;
import com.github.dockerjava.api.model.Task;
import com.github.dockerjava.api.model.TaskState;
import org.ailtire.swarm.Labels;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Reads services of a namespace and their tasks from the engine into {@link ServiceState}s, and the swarm's nodes.
 * It remembers the services it read last, so their tasks alone can be read again; it is used from one thread.
 */
final class ServiceReader {
    /** Tasks kept per slot (per node for a global service). */
    static final int TASKS_PER_SLOT = 5;

    private static final Comparator<TaskInfo> NEWEST_FIRST = Comparator.comparing(TaskInfo::timestamp,
            Comparator.nullsFirst(Comparator.<Instant>naturalOrder())).reversed();

    private final DockerClient docker;
    private final String namespace;
    private final Map<String, Service> known = new HashMap<>();

    ServiceReader(DockerClient docker, String namespace) {
        this.docker = docker;
        this.namespace = namespace;
    }

    /** Every service of the namespace by id, with {@code changedAt} set to {@code now}. */
    Map<String, ServiceState> readAll(Instant now) {
        List<Service> services = docker.listServicesCmd().withLabelFilter(Map.of(Labels.NAMESPACE, namespace)).exec();
        Map<String, List<Task>> tasksByService = new HashMap<>();
        if (!services.isEmpty()) {
            docker.listTasksCmd().withServiceFilter(services.stream().map(Service::getId).toArray(String[]::new)).exec()
                    .forEach(t -> tasksByService.computeIfAbsent(t.getServiceId(), k -> new ArrayList<>()).add(t));
        }
        Map<String, ServiceState> result = new HashMap<>();
        known.clear();
        for (Service s : services) {
            known.put(s.getId(), s);
            result.put(s.getId(), toState(s, tasksByService.getOrDefault(s.getId(), List.of()), now));
        }
        return result;
    }

    /**
     * The services read before, with their tasks read again in one request (their specs as read then); services
     * not read before are left out.
     */
    Map<String, ServiceState> readTasks(Collection<String> serviceIds, Instant now) {
        List<String> ids = serviceIds.stream().filter(known::containsKey).toList();
        if (ids.isEmpty()) {
            return Map.of();
        }
        Map<String, List<Task>> tasksByService = new HashMap<>();
        docker.listTasksCmd().withServiceFilter(ids.toArray(String[]::new)).exec()
                .forEach(t -> tasksByService.computeIfAbsent(t.getServiceId(), k -> new ArrayList<>()).add(t));
        Map<String, ServiceState> result = new HashMap<>();
        for (String id : ids) {
            result.put(id, toState(known.get(id), tasksByService.getOrDefault(id, List.of()), now));
        }
        return result;
    }

    /** The swarm's nodes by id. */
    Map<String, NodeInfo> readNodes() {
        Map<String, NodeInfo> nodes = new HashMap<>();
        for (SwarmNode node : docker.listSwarmNodesCmd().exec()) {
            nodes.put(node.getId(), toNode(node));
        }
        return nodes;
    }

    /** The id of the swarm node this client's engine is, or null when the engine does not say. */
    String localNodeId() {
        var swarm = docker.infoCmd().exec().getSwarm();
        String id = swarm == null ? null : swarm.getNodeID();
        return id == null || id.isEmpty() ? null : id;
    }

    static NodeInfo toNode(SwarmNode node) {
        String host = node.getDescription() != null ? node.getDescription().getHostname() : null;
        var spec = node.getSpec();
        var status = node.getStatus();
        return new NodeInfo(node.getId(), host != null ? host : node.getId(),
                spec == null || spec.getRole() == null ? "unknown" : spec.getRole().name().toLowerCase(Locale.ROOT),
                status == null || status.getState() == null ? "unknown"
                        : status.getState().name().toLowerCase(Locale.ROOT),
                spec == null || spec.getAvailability() == null ? "unknown"
                        : spec.getAvailability().name().toLowerCase(Locale.ROOT));
    }

    /** The service with its tasks, or empty when it is gone or not of this namespace. */
    Optional<ServiceState> read(String serviceId, Instant now) {
        Service service;
        try {
            service = docker.inspectServiceCmd(serviceId).exec();
        } catch (NotFoundException e) {
            known.remove(serviceId);
            return Optional.empty();
        }
        if (!belongs(service)) {
            known.remove(serviceId);
            return Optional.empty();
        }
        known.put(service.getId(), service);
        List<Task> tasks = docker.listTasksCmd().withServiceFilter(service.getId()).exec();
        return Optional.of(toState(service, tasks, now));
    }

    private boolean belongs(Service service) {
        Map<String, String> labels = service.getSpec().getLabels();
        return labels != null && namespace.equals(labels.get(Labels.NAMESPACE));
    }

    ServiceState toState(Service service, List<Task> tasks, Instant now) {
        var spec = service.getSpec();
        String name = spec.getName();
        Map<String, String> labels = spec.getLabels() == null ? Map.of() : spec.getLabels();
        String key = labels.getOrDefault(Labels.KEY, name.startsWith(namespace + "_")
                ? name.substring(namespace.length() + 1) : name);
        String image = spec.getTaskTemplate() != null && spec.getTaskTemplate().getContainerSpec() != null
                ? spec.getTaskTemplate().getContainerSpec().getImage() : null;
        Long replicas = spec.getMode() != null && spec.getMode().getReplicated() != null
                ? spec.getMode().getReplicated().getReplicas() : null;
        int running = (int) tasks.stream()
                .filter(t -> t.getStatus() != null && t.getStatus().getState() == TaskState.RUNNING
                        && t.getDesiredState() == TaskState.RUNNING)
                .count();
        var update = service.getUpdateStatus();
        String updateState = update == null || update.getState() == null ? null
                : update.getState().name().toLowerCase(Locale.ROOT);
        String updateMessage = update == null ? null : update.getMessage();
        return new ServiceState(service.getId(), name, key, image, replicas, running, latestTasks(tasks),
                updateState, updateMessage, now, labels);
    }

    /** The newest {@link #TASKS_PER_SLOT} tasks of each slot (node for global services), newest first. */
    static List<TaskInfo> latestTasks(List<Task> tasks) {
        Map<String, List<TaskInfo>> bySlot = tasks.stream().map(ServiceReader::toInfo)
                .collect(Collectors.groupingBy(t -> t.slot() != null && t.slot() > 0 ? "slot " + t.slot()
                        : "node " + t.nodeId()));
        return bySlot.values().stream()
                .flatMap(slot -> slot.stream().sorted(NEWEST_FIRST).limit(TASKS_PER_SLOT))
                .sorted(NEWEST_FIRST.thenComparing(TaskInfo::id))
                .toList();
    }

    private static TaskInfo toInfo(Task task) {
        var status = task.getStatus();
        String containerId = status == null || status.getContainerStatus() == null ? null
                : status.getContainerStatus().getContainerID();
        return new TaskInfo(task.getId(), task.getSlot() == null || task.getSlot() == 0 ? null : task.getSlot(),
                task.getNodeId(),
                status == null || status.getState() == null ? null : status.getState().getValue(),
                task.getDesiredState() == null ? null : task.getDesiredState().getValue(),
                status == null ? null : status.getMessage(),
                status == null ? null : status.getErr(),
                containerId,
                status == null ? null : parseTime(status.getTimestamp()));
    }

    private static Instant parseTime(String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        try {
            return java.time.OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
