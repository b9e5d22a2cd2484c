package org.ailtire.controller;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Service;
import com.github.dockerjava.api.model.ServiceModeConfig;
import com.github.dockerjava.api.model.ServiceReplicatedModeOptions;
import com.github.dockerjava.api.model.ServiceSpec;
import org.ailtire.protocol.ControlPlaneClient;
import org.ailtire.stack.Status;
import org.ailtire.swarm.observe.StackObserver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Faults on the real engine, in order, on one deployment of the demo (shop -> backend -> db): a service task
 * killed, a child controller silenced and then killed, the top controller killed, and a shutdown while a child
 * cannot answer. Figures are printed with the prefix {@code [faults]}.
 */
@Tag("integration")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultsIT {
    private DeployedDemo demo;
    private String app;
    private DockerClient docker;
    private ControlPlaneClient client;
    private String token;

    @BeforeAll
    void deploy(@TempDir Path temp) throws Exception {
        // Report only: a scenario scales db's controller to 0 behind backend's back to make it unreachable, which a
        // repairing backend would put back (DriftIT covers the repair).
        demo = DeployedDemo.deploy("it-rel", temp, "[faults]", definitions -> {
        }, DeployedDemo.CONTROLLER_IMAGE, List.of("--drift", "report"));
        app = demo.app;
        docker = demo.docker;
        client = demo.client;
        token = demo.token;
        demo.requireDeployed();
        await().atMost(Duration.ofSeconds(90)).ignoreExceptions().until(() -> DeployedDemo.whole(client.status()));
    }

    @AfterAll
    void removeEverything() {
        if (demo != null) {
            demo.close();
        }
    }

    @Test
    @Order(1)
    void aKilledServiceTaskIsShownAndRestarted() throws Exception {
        Container api = demo.runningContainer(app + "-backend_api");
        Duration seen = demo.timeUntil(() -> docker.killContainerCmd(api.getId()).exec(),
                top -> DeployedDemo.state(top, "backend", "api").map(s -> s != Status.State.RUNNING).orElse(false));
        System.out.println("[faults] a: backend/api task killed, seen at the top after " + seen.toMillis() + " ms");
        Instant killedBy = Instant.now();
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> DeployedDemo.whole(client.status()));
        System.out.println("[faults] a: backend/api RUNNING again (swarm restarted it) after a further "
                + Duration.between(killedBy, Instant.now()).toMillis() + " ms");
        assertThat(demo.runningContainer(app + "-backend_api").getId()).isNotEqualTo(api.getId());
    }

    @Test
    @Order(2)
    void aSilentChildIsUnreachableAndAKilledOneAdoptsItsStack() throws Exception {
        Map<String, String> versionsBefore = demo.versions();
        Map<String, String> tasksBefore = demo.tasks(app + "-backend", app + "-backend-db");
        Container backendController = demo.runningContainer(app + "_backend");

        // A killed controller is back (restart delay 1 s) before 3 missed heartbeats: freeze it to measure detection.
        Duration unreachable = demo.timeUntil(() -> docker.pauseContainerCmd(backendController.getId()).exec(),
                top -> DeployedDemo.state(top, "backend").map(s -> s == Status.State.UNREACHABLE).orElse(false));
        System.out.println("[faults] b: backend controller frozen, UNREACHABLE at the top after "
                + unreachable.toMillis() + " ms (heartbeat 3 s x 3 missed)");
        docker.unpauseContainerCmd(backendController.getId()).exec();
        // Silence is counted from the last heartbeat, up to one interval (3 s) before the freeze: more than 2 were missed.
        assertThat(unreachable).isGreaterThan(Duration.ofSeconds(6));

        Instant killed = Instant.now();
        docker.killContainerCmd(backendController.getId()).exec();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).ignoreExceptions().until(() ->
                !demo.runningContainer(app + "_backend").getId().equals(backendController.getId())
                        && DeployedDemo.state(client.status(), "backend").map(s -> s != Status.State.UNREACHABLE).orElse(false));
        System.out.println("[faults] b: backend controller killed, re-registered after "
                + Duration.between(killed, Instant.now()).toMillis() + " ms");
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .until(() -> DeployedDemo.whole(client.status()));
        System.out.println("[faults] b: tree whole again after " + Duration.between(killed, Instant.now()).toMillis() + " ms");
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .until(() -> adopted(app + "_backend"));
        System.out.println("[faults] b: the restarted backend controller applied its definition after "
                + Duration.between(killed, Instant.now()).toMillis() + " ms");

        assertThat(demo.versions()).as("no service was updated by the adoption").isEqualTo(versionsBefore);
        assertThat(demo.tasks(app + "-backend", app + "-backend-db")).as("the backend's and db's tasks kept running")
                .isEqualTo(tasksBefore);
        // A child that registers again shows no services until its first report: a duplicate would stay.
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                .untilAsserted(() -> DeployedDemo.assertNothingDuplicated(client.status()));
    }

    @Test
    @Order(3)
    void theTopControllerKilledLeavesTheChildrenRunningAndTheyRegisterAgain() throws Exception {
        Map<String, String> versionsBefore = demo.versions();
        Map<String, String> tasksBefore = demo.tasks(app, app + "-backend", app + "-backend-db");
        Container top = demo.runningContainer(app + "-root_" + app);
        Instant killed = Instant.now();
        docker.killContainerCmd(top.getId()).exec();
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .until(() -> DeployedDemo.whole(client.status()));
        System.out.println("[faults] c: top controller killed, top status whole again after "
                + Duration.between(killed, Instant.now()).toMillis() + " ms");
        assertThat(demo.runningContainer(app + "-root_" + app).getId()).isNotEqualTo(top.getId());
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .until(() -> adopted(app + "-root_" + app));
        System.out.println("[faults] c: the restarted top controller applied its definition after "
                + Duration.between(killed, Instant.now()).toMillis() + " ms");
        assertThat(demo.tasks(app, app + "-backend", app + "-backend-db")).as("every stack below kept its tasks")
                .isEqualTo(tasksBefore);
        assertThat(demo.versions()).as("no service was updated").isEqualTo(versionsBefore);
        // A child that registers again shows no services until its first report: a duplicate would stay.
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                .untilAsserted(() -> DeployedDemo.assertNothingDuplicated(client.status()));
    }

    @Test
    @Order(4)
    void theTokenIsInNoControllersLog() throws Exception {
        for (String service : List.of(app + "-root_" + app, app + "_backend", app + "-backend_db")) {
            StringBuilder output = new StringBuilder();
            docker.logContainerCmd(demo.runningContainer(service).getId()).withStdOut(true).withStdErr(true)
                    .exec(new com.github.dockerjava.api.async.ResultCallback.Adapter<com.github.dockerjava.api.model.Frame>() {
                        @Override
                        public void onNext(com.github.dockerjava.api.model.Frame frame) {
                            output.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
                        }
                    }).awaitCompletion(30, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(output).as(service + "'s log").contains("serving on port").doesNotContain(token);
            System.out.println("[faults] " + service + ": " + output.length() + " characters of log, no token");
        }
    }

    /**
     * The engine itself restarted (as after a crash or an upgrade): every container stops, swarm starts the tasks
     * again. The controllers come back, adopt their stacks without updating a service, the children register again,
     * and an events stream followed through the restart reconnects and sees changes made afterwards.
     */
    @Test
    @Order(5)
    void theDaemonRestartedTheTreeComesBackWholeAndEventStreamsReconnect() throws Exception {
        Map<String, String> versionsBefore = demo.versions();
        try (StackObserver observer = new StackObserver(docker, app + "-backend")) {
            observer.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> observer.state().connected()
                    && observer.state().services().size() == versionsBefore.keySet().stream()
                    .filter(n -> n.startsWith(app + "-backend_")).count());

            Instant stopped = Instant.now();
            EngineRestart.restart();
            Instant engineBack = Instant.now();
            System.out.println("[faults] e: docker daemon restarted in " + Duration.between(stopped, engineBack).toMillis()
                    + " ms");
            await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                    .until(() -> DeployedDemo.whole(client.status()));
            System.out.println("[faults] e: tree whole again " + Duration.between(engineBack, Instant.now()).toMillis()
                    + " ms after the daemon was back");
            assertThat(demo.versions()).as("no service was updated; none is missing or added").isEqualTo(versionsBefore);
            // A child that registers again shows no services until its first report: a duplicate would stay.
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                .untilAsserted(() -> DeployedDemo.assertNothingDuplicated(client.status()));

            await().atMost(Duration.ofSeconds(60)).until(() -> observer.state().connected()
                    && observer.state().services().get("api") != null
                    && observer.state().services().get("api").running() == 1);
            Container api = demo.runningContainer(app + "-backend_api");
            docker.killContainerCmd(api.getId()).exec();
            await().atMost(Duration.ofSeconds(30)).until(() -> observer.state().services().get("api").tasks().stream()
                    .anyMatch(t -> t.id() != null && !"running".equals(t.state()) && api.getLabels() != null
                            && t.id().equals(api.getLabels().get("com.docker.swarm.task.id"))));
            System.out.println("[faults] e: the events stream followed through the restart saw a task killed after it");
            await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> DeployedDemo.whole(client.status()));
        }
    }

    @Test
    @Order(6)
    void shutdownWithAnUnreachableChildLeavesNothing() throws Exception {
        Service dbController = service(app + "-backend_db");
        Duration unreachable = demo.timeUntil(() -> scaleToZero(dbController),
                top -> DeployedDemo.state(top, "backend", "db").map(s -> s == Status.State.UNREACHABLE).orElse(false));
        System.out.println("[faults] d: db controller scaled to 0, UNREACHABLE at the top after " + unreachable.toMillis() + " ms");

        Instant started = Instant.now();
        DeployedDemo.Run shutdown = demo.cli("shutdown", "--app", app, "--yes");
        System.out.println("[faults] d: shutdown with db unreachable took " + Duration.between(started, Instant.now()).toMillis() + " ms");
        assertThat(shutdown.code()).as(shutdown.output()).isZero();
        List<String> left = demo.objectsLeft();
        System.out.println("[faults] d: " + left.size() + " labelled objects left in " + demo.namespaces().size()
                + " namespaces: " + left);
        // Named volumes are kept, as `docker stack rm` keeps them; DeployedDemo.close() removes this one.
        assertThat(left).containsExactly("volume " + demo.dataVolume());
    }

    private void scaleToZero(Service service) {
        Service current = docker.inspectServiceCmd(service.getId()).exec();
        ServiceSpec spec = current.getSpec().withMode(new ServiceModeConfig()
                .withReplicated(new ServiceReplicatedModeOptions().withReplicas(0)));
        docker.updateServiceCmd(current.getId(), spec).withVersion(current.getVersion().getIndex()).exec();
    }

    /**
     * The restarted controller of {@code service} has applied its definition: a fresh controller answers 404 on
     * {@code /api/v1/definition} until its first update succeeded. Asked from inside its container, over loopback.
     */
    private boolean adopted(String service) throws InterruptedException {
        String answer = demo.execOutput(demo.runningContainer(service), "bash", "-c",
                "exec 3<>/dev/tcp/127.0.0.1/" + org.ailtire.swarm.topology.ControllerSettings.DEFAULT_ADMIN_PORT
                        + " && printf 'GET /api/v1/definition HTTP/1.0\\r\\nAuthorization: Bearer %s"
                        + "\\r\\n\\r\\n' \"$(cat /run/secrets/ailtire_token)\" >&3 && timeout 5 cat <&3");
        return answer.startsWith("HTTP/1.1 200") || answer.startsWith("HTTP/1.0 200");
    }

    private Service service(String name) {
        return docker.listServicesCmd().withNameFilter(List.of(name)).exec().stream()
                .filter(s -> s.getSpec().getName().equals(name)).findFirst().orElseThrow();
    }
}
