package org.ailtire.swarm.stack;

import com.github.dockerjava.api.DockerClient;
import org.ailtire.stack.ChildRegistry;
import org.ailtire.stack.ImageResolution;
import org.ailtire.stack.InMemoryHistory;
import org.ailtire.stack.StackToken;
import org.ailtire.stack.Status;
import org.ailtire.stack.Update;
import org.ailtire.stack.UpdateRequest;
import org.ailtire.swarm.DockerClients;
import org.ailtire.swarm.apply.ApplyOptions;
import org.ailtire.swarm.convert.NetworkingDefaults;
import org.ailtire.swarm.observe.TaskResync;
import org.ailtire.swarm.testsupport.StalledEngine;
import org.ailtire.swarm.topology.ControllerSettings;
import org.ailtire.swarm.topology.StackPlace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * A controller's stack observing an engine that then stalls ({@link StalledEngine}): an update under way
 * fails on the engine timeout, the shutdown that waited for it ends too, failed with an error naming that timeout,
 * and nothing is left in progress; asked again, the shutdown tries again rather than handing back the failure.
 */
class StalledEngineShutdownTest {
    private static final Duration TIMEOUT = Duration.ofMillis(500);
    private static final String TOKEN = "0123456789abcdef0123456789abcdef";
    @TempDir
    Path temp;

    @Test
    void aShutdownWithAStalledEngineEndsNamingTheEngineTimeoutAndLeavesNothingInProgress() throws Exception {
        ExecutorService background = Executors.newVirtualThreadPerTaskExecutor();
        try (StalledEngine engine = new StalledEngine(temp.resolve("engine.sock"), Duration.ofMinutes(5));
             DockerClient docker = DockerClients.connect(engine.uri(), TIMEOUT);
             ChildRegistry children = new ChildRegistry(Clock.systemUTC(), Duration.ofSeconds(10), 3)) {
            StackPlace place = StackPlace.root("stalled").child("stalled");
            ControllerSettings settings = new ControllerSettings(ControllerSettings.DEFAULT_IMAGE, 8081, 8080,
                    "stalled-root_token", "dnsrr", "/var/run/docker.sock", ImageResolution.NEVER);
            SwarmStack stack = new SwarmStack(place, docker, settings,
                    NetworkingDefaults.detect(Map.of("AILTIRE_ENDPOINT_MODE", "dnsrr")), ApplyOptions.DEFAULT,
                    TaskResync.DEFAULT, children, child -> CompletableFuture.completedFuture(null),
                    (child, request, sink) -> () -> { }, Clock.systemUTC(), background, Duration.ofSeconds(2),
                    new InMemoryHistory(Clock.systemUTC(), 5), StackToken.of(TOKEN));
            engine.answering("/info", "{\"Swarm\":{\"NodeID\":\"n1\",\"LocalNodeState\":\"active\"}}")
                    .answering("/services", "[]").answering("/tasks", "[]").answering("/nodes", "[]");
            stack.startObserving();
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                    .until(() -> engine.openEventStreams() > 0);
            engine.stallingEverything();

            Update update = stack.update(new UpdateRequest(List.of(), Map.of(),
                    "services:\n  web:\n    image: busybox\n").withResolveImage(ImageResolution.NEVER));
            CompletableFuture<Void> shutdown = stack.shutdown("test");

            // The preemptive timeout only keeps a regression from hanging the build.
            assertTimeoutPreemptively(Duration.ofSeconds(60), () ->
                    assertThatThrownBy(() -> shutdown.get())
                            .isInstanceOf(ExecutionException.class)
                            .hasRootCauseInstanceOf(SocketTimeoutException.class)
                            .rootCause().hasMessageContaining("within 500 ms"));
            assertThat(update.view().state()).as("the update the shutdown waited for").isEqualTo(Update.State.FAILED);
            assertThat(update.view().error()).contains("within 500 ms");
            Status status = stack.status();
            assertThat(status.state()).isEqualTo(Status.State.FAILED);
            assertThat(status.message()).startsWith("shutdown failed: ").contains("within 500 ms");
            assertThat(stack.events().all()).anySatisfy(event -> {
                assertThat(event.action()).isEqualTo("shutdown");
                assertThat(event.result()).isEqualTo("failed");
            });

            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(engine.openEventStreams()).as("the observer's event stream is closed").isZero());
            int requests = engine.requestLines().size();
            Thread.sleep(TIMEOUT.multipliedBy(6).toMillis());
            assertThat(engine.requestLines().subList(requests, engine.requestLines().size()))
                    .as("nothing keeps calling the engine after the shutdown ended (observer, drift watch)").isEmpty();

            CompletableFuture<Void> again = stack.shutdown("test");
            assertThat(again).as("a failed shutdown is tried again when asked again").isNotSameAs(shutdown);
            assertTimeoutPreemptively(Duration.ofSeconds(60), () ->
                    assertThatThrownBy(() -> again.get()).hasRootCauseInstanceOf(SocketTimeoutException.class));
        } finally {
            background.shutdownNow();
            assertThat(background.awaitTermination(10, TimeUnit.SECONDS)).as("no work left running").isTrue();
        }
    }
}
