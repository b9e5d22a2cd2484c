package org.ailtire.controller;

import org.ailtire.stack.Status;
import org.ailtire.swarm.testsupport.TestCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A manager that runs a child stack's controller dies, on a swarm of 3 managers ({@code scripts/cluster up --managers
 * 3}): swarm reschedules the controller on another manager, where it registers with its parent again and adopts its
 * stack without updating a service. The top controller stays on the first manager (deploy pins it there), and the
 * backend's controller is kept off it by a constraint in the definition, so the manager that dies is another one.
 */
@Tag("cluster-managers")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ManagerFailoverIT {
    private TestCluster cluster;
    private DeployedDemo demo;

    @BeforeAll
    void deploy(@TempDir Path temp) throws Exception {
        cluster = TestCluster.require();
        assertThat(cluster.managers()).as("this test needs 3 managers (scripts/cluster up --managers 3)").hasSize(3);
        assertThat(System.getenv("DOCKER_HOST")).isEqualTo(cluster.leader().socket().toString());
        String firstManager = cluster.leader().name();
        demo = DeployedDemo.deploy("it-managers", temp, "[managers]", definitions -> {
            Path top = definitions.resolve("stack.yml");
            String text = Files.readString(top);
            String anchor = "  backend:\n";
            assertThat(text).contains(anchor);
            Files.writeString(top, text.replace(anchor, anchor + """
                        deploy:
                          placement:
                            constraints: [node.hostname != %s]
                    """.formatted(firstManager)));
        });
        demo.requireDeployed();
        await().atMost(Duration.ofSeconds(90)).ignoreExceptions().until(() -> DeployedDemo.whole(demo.client.status()));
    }

    @AfterAll
    void removeEverything() {
        try {
            if (demo != null) {
                demo.close();
            }
        } finally {
            cluster.restoreAndClose();
        }
    }

    @Test
    void theControllerOfAStoppedManagerIsRescheduledReRegistersAndAdoptsItsStack() throws Exception {
        TestCluster.Node host = cluster.nodeRunning(demo.app + "_backend");
        assertThat(host.manager()).as("controllers run on managers").isTrue();
        assertThat(host).as("the backend's controller is kept off the first manager").isNotEqualTo(cluster.leader());
        Map<String, String> versions = demo.versions();

        Instant killed = Instant.now();
        cluster.kill(host);
        try {
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                    .until(() -> !cluster.nodeRunning(demo.app + "_backend").equals(host));
            TestCluster.Node now = cluster.nodeRunning(demo.app + "_backend");
            long rescheduled = Duration.between(killed, Instant.now()).toMillis();
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                    .until(() -> DeployedDemo.whole(demo.client.status()));
            System.out.println("[managers] " + host.name() + " killed: the backend's controller ran again on "
                    + now.name() + " after " + rescheduled + " ms; the tree was whole again after "
                    + Duration.between(killed, Instant.now()).toMillis() + " ms");
            assertThat(now.manager()).isTrue();
            assertThat(now).isNotEqualTo(host);
            Status top = demo.client.status();
            DeployedDemo.assertNothingDuplicated(top);
            assertThat(top.cluster()).anyMatch(n -> n.name().equals(host.name()) && "down".equals(n.state()));
            assertThat(demo.versions()).as("the adoption updated no service").isEqualTo(versions);
            List<Status.Node> managers = top.cluster().stream().filter(n -> "manager".equals(n.role())).toList();
            assertThat(managers).hasSize(3);
        } finally {
            cluster.start(host);
        }
    }
}
