package org.ailtire.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import org.ailtire.swarm.DockerClients;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Status freshness: kills the task of one service deep in the tree (docker-java, in-process) and measures how long
 * until a status event from the top controller's SSE stream shows that service not RUNNING. Waits for the whole
 * tree to be RUNNING again between rounds.
 *
 * <p>Args: topUrl token swarmServiceName serviceKey rounds [worker]. With {@code worker}, DOCKER_HOST is a manager of
 * the multi-node swarm of {@code scripts/cluster}, and the task killed is one that runs on a worker, through that
 * worker's engine (its socket from the cluster's {@code cluster.json}). Prints one line per round and a summary line
 * {@code freshness_ms p50=.. max=.. n=..}.
 */
public final class Freshness {
    private static final ObjectMapper JSON = new ObjectMapper();

    record Event(long receivedNanos, JsonNode status) { }

    public static void main(String[] args) throws Exception {
        String url = args[0];
        String token = args[1];
        String swarmService = args[2];
        String serviceKey = args[3];
        int rounds = Integer.parseInt(args[4]);
        boolean onWorker = args.length > 5 && args[5].equals("worker");
        BlockingQueue<Event> events = new LinkedBlockingQueue<>();
        subscribe(url, token, events);
        DockerClient docker = DockerClients.connect();
        List<Double> samples = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            awaitAllRunning(events, Duration.ofSeconds(120));
            Thread.sleep(1500); // let the new task settle so the kill hits a steady state
            events.clear();
            Target target = onWorker ? taskOnAWorker(docker, swarmService) : new Target(docker,
                    runningContainer(docker, swarmService));
            long killedAt = System.nanoTime();
            target.engine().killContainerCmd(target.container()).exec();
            while (true) {
                Event e = events.poll(60, TimeUnit.SECONDS);
                if (e == null) {
                    throw new IllegalStateException("round " + round + ": no status event showed " + serviceKey + " down within 60 s");
                }
                String state = stateOf(e.status(), serviceKey);
                if (state != null && !state.equals("RUNNING")) {
                    double ms = (e.receivedNanos() - killedAt) / 1e6;
                    samples.add(ms);
                    System.out.printf("round %d: %s %s after %.1f ms%n", round, serviceKey, state, ms);
                    break;
                }
            }
        }
        Collections.sort(samples);
        System.out.printf("freshness_ms p50=%.1f max=%.1f n=%d%n", percentile(samples, 50), samples.get(samples.size() - 1), samples.size());
        awaitAllRunning(events, Duration.ofSeconds(120));
        System.exit(0);
    }

    static double percentile(List<Double> sorted, int p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, index));
    }

    private static void subscribe(String url, String token, BlockingQueue<Event> events) {
        HttpClient client = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(URI.create(url + "/api/v1/status/events"))
                .header("Authorization", "Bearer " + token).header("Accept", "text/event-stream").build();
        Thread reader = new Thread(() -> {
            try {
                HttpResponse<Stream<String>> response = client.send(request, HttpResponse.BodyHandlers.ofLines());
                if (response.statusCode() != 200) {
                    throw new IllegalStateException("status/events answered " + response.statusCode());
                }
                response.body().forEach(line -> {
                    if (line.startsWith("data:")) {
                        long now = System.nanoTime();
                        try {
                            events.add(new Event(now, JSON.readTree(line.substring(5).strip())));
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    }
                });
            } catch (Exception e) {
                e.printStackTrace();
                System.exit(2);
            }
        }, "sse");
        reader.setDaemon(true);
        reader.start();
    }

    private static void awaitAllRunning(BlockingQueue<Event> events, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            Event e = events.poll(1, TimeUnit.SECONDS);
            if (e != null) {
                last = e.status();
            }
            if (last != null && allRunning(last) && events.isEmpty()) {
                return;
            }
        }
        throw new IllegalStateException("the tree did not come back to RUNNING within " + limit.toSeconds() + " s: " + last);
    }

    static boolean allRunning(JsonNode node) {
        if (!"RUNNING".equals(node.path("state").asText())) {
            return false;
        }
        for (JsonNode child : node.path("children")) {
            if (!allRunning(child)) {
                return false;
            }
        }
        return true;
    }

    /** The state of the service named {@code key} at the deepest place in the tree it appears. */
    static String stateOf(JsonNode node, String key) {
        String found = null;
        if ("SERVICE".equals(node.path("type").asText()) && key.equals(node.path("name").asText())) {
            found = node.path("state").asText();
        }
        for (JsonNode child : node.path("children")) {
            String inner = stateOf(child, key);
            if (inner != null) {
                found = inner;
            }
        }
        return found;
    }

    /** A container to kill, and the engine of the node it runs on. */
    record Target(DockerClient engine, String container) { }

    /** A running task of the service on a worker node (the manager's view), and that worker's engine. */
    private static Target taskOnAWorker(DockerClient manager, String swarmService) throws Exception {
        JsonNode cluster = JSON.readTree(new java.io.File(System.getenv().getOrDefault("AILTIRE_CLUSTER_FILE",
                "/var/run/ailtire-cluster/cluster.json")));
        Map<String, String> sockets = new java.util.HashMap<>();
        for (JsonNode node : cluster.path("nodes")) {
            if ("worker".equals(node.path("role").asText())) {
                sockets.put(node.path("name").asText(), node.path("socket").asText());
            }
        }
        Map<String, String> hostById = new java.util.HashMap<>();
        manager.listSwarmNodesCmd().exec().forEach(n -> hostById.put(n.getId(), n.getDescription().getHostname()));
        String serviceId = manager.listServicesCmd().withNameFilter(List.of(swarmService)).exec().stream()
                .filter(s -> s.getSpec().getName().equals(swarmService)).findFirst().orElseThrow().getId();
        var task = manager.listTasksCmd().withServiceFilter(serviceId).exec().stream()
                .filter(t -> t.getDesiredState() == com.github.dockerjava.api.model.TaskState.RUNNING
                        && t.getStatus().getState() == com.github.dockerjava.api.model.TaskState.RUNNING)
                .filter(t -> sockets.containsKey(hostById.get(t.getNodeId())))
                .findFirst().orElseThrow(() -> new IllegalStateException("no task of " + swarmService + " on a worker"));
        String socket = sockets.get(hostById.get(task.getNodeId()));
        return new Target(WORKERS.computeIfAbsent(socket, s -> DockerClients.connect(URI.create(s))),
                task.getStatus().getContainerStatus().getContainerID());
    }

    private static final Map<String, DockerClient> WORKERS = new java.util.concurrent.ConcurrentHashMap<>();

    private static String runningContainer(DockerClient docker, String swarmService) {
        List<Container> containers = docker.listContainersCmd()
                .withLabelFilter(Map.of("com.docker.swarm.service.name", swarmService)).exec();
        if (containers.isEmpty()) {
            throw new IllegalStateException("no running container of " + swarmService);
        }
        return containers.get(0).getId();
    }
}
