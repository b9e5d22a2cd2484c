package org.ailtire.swarm.observe;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Info;
import com.github.dockerjava.api.model.Service;
import com.github.dockerjava.api.model.SwarmNode;
import com.github.dockerjava.api.model.Task;
import com.github.dockerjava.api.model.TaskState;
import com.github.dockerjava.api.model.TaskStatus;
import org.ailtire.swarm.Labels;
import org.junit.jupiter.api.Test;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The observer against a fake engine (the docker-java client, its commands answered by a proxy that overrides only
 * what the observer calls): tasks on another node change with no event telling, as on a swarm manager.
 */
class StackObserverTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TaskResync FAST = new TaskResync(Duration.ofMillis(100), Duration.ofMillis(50));
    private static final String MANAGER = "node-manager";
    private static final String WORKER = "node-worker";

    private final AtomicReference<List<Task>> tasks = new AtomicReference<>(List.of());
    private final AtomicInteger taskReads = new AtomicInteger();
    private final List<StackState> published = new CopyOnWriteArrayList<>();

    @Test
    void aTaskOnAnotherNodeThatFailsIsPublishedWithoutAnyEvent() throws Exception {
        tasks.set(List.of(task("t1", WORKER, TaskState.RUNNING, TaskState.RUNNING)));
        try (StackObserver observer = new StackObserver(engine(), "shop", FAST)) {
            observer.subscribe(published::add);
            observer.start();
            assertThat(observer.state().services().get("api").running()).isEqualTo(1);
            assertThat(observer.state().nodes()).containsKeys(MANAGER, WORKER);

            tasks.set(List.of(task("t1", WORKER, TaskState.FAILED, TaskState.SHUTDOWN),
                    task("t2", null, TaskState.PENDING, TaskState.RUNNING)));
            await().atMost(Duration.ofSeconds(2)).until(() -> observer.state().services().get("api").tasks().stream()
                    .anyMatch(t -> t.id().equals("t1") && "failed".equals(t.state())));
            assertThat(observer.state().services().get("api").running()).isZero();

            tasks.set(List.of(task("t2", WORKER, TaskState.RUNNING, TaskState.RUNNING),
                    task("t1", WORKER, TaskState.FAILED, TaskState.SHUTDOWN)));
            await().atMost(Duration.ofSeconds(2)).until(() -> observer.state().services().get("api").running() == 1);
            assertThat(published).extracting(StackState::version).isSorted();
        }
    }

    @Test
    void tasksOnTheControllersOwnNodeAreNotReadAgainWithoutAnEvent() throws Exception {
        tasks.set(List.of(task("t1", MANAGER, TaskState.RUNNING, TaskState.RUNNING)));
        try (StackObserver observer = new StackObserver(engine(), "shop", FAST)) {
            observer.start();
            int afterStart = taskReads.get();
            Thread.sleep(600);
            assertThat(taskReads.get()).as("tasks requests with nothing on other nodes").isEqualTo(afterStart);
        }
    }

    /** A client whose commands are proxies: {@code withX} returns the command, {@code exec} the fake's answer. */
    private DockerClient engine() throws Exception {
        Service service = JSON.readValue("""
                {"ID": "svc-api", "Version": {"Index": 1},
                 "Spec": {"Name": "shop_api", "Labels": {"%s": "shop", "%s": "api"},
                          "Mode": {"Replicated": {"Replicas": 1}},
                          "TaskTemplate": {"ContainerSpec": {"Image": "busybox"}}}}
                """.formatted(Labels.NAMESPACE, Labels.KEY), Service.class);
        Info info = JSON.readValue("{\"Swarm\": {\"NodeID\": \"" + MANAGER + "\"}}", Info.class);
        List<SwarmNode> nodes = List.of(node(MANAGER, "manager-1", "manager"), node(WORKER, "worker-1", "worker"));
        InvocationHandler client = (proxy, method, args) -> switch (method.getName()) {
            case "eventsCmd" -> command(method.getReturnType(), () -> null);
            case "infoCmd" -> command(method.getReturnType(), () -> info);
            case "listSwarmNodesCmd" -> command(method.getReturnType(), () -> nodes);
            case "listServicesCmd" -> command(method.getReturnType(), () -> List.of(service));
            case "inspectServiceCmd" -> command(method.getReturnType(), () -> service);
            case "listTasksCmd" -> command(method.getReturnType(), () -> {
                taskReads.incrementAndGet();
                return tasks.get();
            });
            case "close" -> null;
            default -> throw new UnsupportedOperationException(method.getName());
        };
        return (DockerClient) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[]{DockerClient.class},
                client);
    }

    /** A command: fluent setters return it; {@code exec()} answers, {@code exec(callback)} opens a silent stream. */
    private static Object command(Class<?> type, java.util.function.Supplier<Object> answer) {
        return Proxy.newProxyInstance(StackObserverTest.class.getClassLoader(), new Class<?>[]{type},
                (proxy, method, args) -> {
                    if (method.getName().equals("exec") && args != null && args.length == 1
                            && args[0] instanceof ResultCallback<?> callback) {
                        callback.onStart(() -> { });
                        return callback;
                    }
                    if (method.getName().equals("exec")) {
                        return answer.get();
                    }
                    if (method.getName().equals("close")) {
                        return null;
                    }
                    return type.isAssignableFrom(method.getReturnType()) ? proxy : null;
                });
    }

    private static Task task(String id, String node, TaskState state, TaskState desired) {
        return new Task().withId(id).withServiceId("svc-api").withSlot(1).withNodeId(node).withDesiredState(desired)
                .withStatus(new TaskStatus().withState(state).withTimestamp(Instant.now().toString()));
    }

    private static SwarmNode node(String id, String host, String role) throws Exception {
        return JSON.readValue("""
                {"ID": "%s", "Description": {"Hostname": "%s"},
                 "Spec": {"Role": "%s", "Availability": "active"}, "Status": {"State": "ready"}}
                """.formatted(id, host, role), SwarmNode.class);
    }
}
