package org.ailtire.swarm.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import org.ailtire.stack.Json;
import org.ailtire.swarm.EngineHttp;
import org.ailtire.swarm.Labels;
import org.ailtire.swarm.apply.ApplyEvent;
import org.ailtire.swarm.apply.ApplyException;
import org.ailtire.swarm.apply.StackApplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * What a parent asks the engine about its original child stacks: whether an address is one of a child's tasks (its
 * tokenless register call), and the end of a child's tree once it was asked to shut down: its service removed (the
 * engine sends its stop signal, SIGINT, on which the original removes its stack), then, within a bound, the
 * namespaces its tree ran empty, and whatever is left of them swept (services, configs, secrets, networks by
 * {@code com.docker.stack.namespace}).
 */
final class OriginalChildEngine {
    private static final Logger LOG = LoggerFactory.getLogger(OriginalChildEngine.class);
    private static final Duration CHECK_EVERY = Duration.ofMillis(500);
    /** How long the last containers of a retired child's tree are given to leave its family network. */
    private static final Duration DETACH_WITHIN = Duration.ofSeconds(30);

    private final DockerClient docker;
    private final StackApplier applier;
    private final Duration emptyWithin;

    /** @param emptyWithin how long a retired child's namespaces are given to empty before they are swept */
    OriginalChildEngine(DockerClient docker, StackApplier applier, Duration emptyWithin) {
        this.docker = docker;
        this.applier = applier;
        this.emptyWithin = emptyWithin;
    }

    /** Whether a running task of the service {@code serviceId} holds {@code address} on the network {@code network}. */
    boolean holds(String serviceId, String network, String address) {
        JsonNode tasks = EngineHttp.getJson(docker, "/tasks?filters=" + filters(Map.of("service", List.of(serviceId),
                "desired-state", List.of("running"))), "listing the tasks of an original child stack");
        for (JsonNode task : tasks) {
            if (!serviceId.equals(task.path("ServiceID").asText())) {
                continue;
            }
            for (JsonNode attachment : task.path("NetworksAttachments")) {
                if (!network.equals(attachment.path("Network").path("Spec").path("Name").asText())) {
                    continue;
                }
                for (JsonNode cidr : attachment.path("Addresses")) {
                    if (cidr.asText().replaceFirst("/.*$", "").equals(address)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /**
     * Removes the child's service (the engine stops it with SIGINT), waits until nothing is left in {@code namespaces}
     * (at most the bound), then removes whatever still is.
     */
    void retire(String serviceId, String serviceName, Set<String> namespaces, String familyNetwork,
                Consumer<ApplyEvent> log) throws ApplyException, InterruptedException {
        try {
            docker.removeServiceCmd(serviceId).exec();
            log.accept(new ApplyEvent(ApplyEvent.Phase.REMOVE, "service " + serviceName, "original child stack"));
        } catch (NotFoundException gone) {
            // Removed already.
        }
        Instant until = Instant.now().plus(emptyWithin);
        while (!empty(namespaces) && Instant.now().isBefore(until)) {
            Thread.sleep(CHECK_EVERY.toMillis());
        }
        if (!empty(namespaces)) {
            LOG.warn("the tree of original child {} left objects after {} s: sweeping {}", serviceName,
                    emptyWithin.toSeconds(), namespaces);
            for (String namespace : namespaces) {
                applier.remove(namespace, log);
            }
        }
        // A removed service's containers stop after the engine forgot the service: the family network (this
        // stack's, removed next) is free only once the child's and its stack's last tasks let go of it.
        Instant detachedUntil = Instant.now().plus(DETACH_WITHIN);
        while (attached(familyNetwork) && Instant.now().isBefore(detachedUntil)) {
            Thread.sleep(CHECK_EVERY.toMillis());
        }
    }

    /** Whether a task anywhere in the swarm (the verbose view of the manager) or a container here is on the network. */
    private boolean attached(String network) {
        JsonNode inspected;
        try {
            inspected = EngineHttp.getJson(docker, "/networks/" + URLEncoder.encode(network, StandardCharsets.UTF_8)
                    + "?verbose=true", "inspecting network " + network);
        } catch (DockerException e) {
            return e.getHttpStatus() != 404 && !String.valueOf(e.getMessage()).contains("not found");
        }
        if (inspected.path("Containers").size() > 0) {
            return true;
        }
        for (JsonNode service : inspected.path("Services")) {
            if (service.path("Tasks").size() > 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * Nothing labelled with the namespaces is left: the tree removes its own objects (services first, then networks,
     * configs, secrets), and sweeping beside it would race it for the same objects.
     */
    private boolean empty(Set<String> namespaces) {
        for (String namespace : namespaces) {
            Map<String, String> label = Map.of(Labels.NAMESPACE, namespace);
            if (!docker.listServicesCmd().withLabelFilter(label).exec().isEmpty()
                    || !docker.listNetworksCmd().withFilter("label", List.of(Labels.NAMESPACE + "=" + namespace)).exec()
                    .isEmpty()
                    || !docker.listConfigsCmd().withFilters(Map.of("label", List.of(Labels.NAMESPACE + "=" + namespace)))
                    .exec().isEmpty()
                    || !docker.listSecretsCmd().withLabelFilter(label).exec().isEmpty()) {
                return false;
            }
        }
        return true;
    }

    private static String filters(Map<String, List<String>> filters) {
        try {
            return URLEncoder.encode(Json.MAPPER.writeValueAsString(filters), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
