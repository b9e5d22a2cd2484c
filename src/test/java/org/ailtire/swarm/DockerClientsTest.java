package org.ailtire.swarm;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Event;
import org.ailtire.controller.Deployer;
import org.ailtire.stack.ImageResolution;
import org.ailtire.stack.RegistryAuth;
import org.ailtire.swarm.apply.ApplyOptions;
import org.ailtire.swarm.testsupport.StalledEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** The engine client against a {@link StalledEngine}: calls fail after the response timeout, streams stay open. */
class DockerClientsTest {
    private static final Duration TIMEOUT = Duration.ofMillis(500);
    @TempDir
    Path temp;
    private StalledEngine engine;
    private DockerClient docker;

    @BeforeEach
    void start() throws IOException {
        engine = new StalledEngine(temp.resolve("engine.sock"), TIMEOUT.multipliedBy(4));
        docker = DockerClients.connect(engine.uri(), TIMEOUT);
    }

    @AfterEach
    void stop() throws IOException {
        docker.close();
        engine.close();
    }

    @Test
    void aCallToAStalledEngineFailsAfterTheResponseTimeout() {
        // The preemptive timeout only keeps a regression from hanging the build.
        assertTimeoutPreemptively(Duration.ofSeconds(30), () ->
                assertThatThrownBy(() -> docker.listServicesCmd().exec())
                        .hasRootCauseInstanceOf(SocketTimeoutException.class)
                        .rootCause().hasMessageContaining("did not answer GET").hasMessageContaining("within 500 ms"));
        assertThat(engine.requestLines()).anySatisfy(line -> assertThat(line).contains("/services"));
        assertThat(Thread.currentThread().isInterrupted()).as("the watchdog's interrupt is cleared").isFalse();
    }

    @Test
    void aCallWhoseBodyStallsAfterItsHeadFailsAfterTheResponseTimeout() {
        engine.stallingBody("/services");
        assertTimeoutPreemptively(Duration.ofSeconds(30), () ->
                assertThatThrownBy(() -> docker.listServicesCmd().exec())
                        .hasRootCauseInstanceOf(SocketTimeoutException.class)
                        .rootCause().hasMessageContaining("stopped sending its answer to GET")
                        .hasMessageContaining("nothing within 500 ms"));
        assertThat(Thread.currentThread().isInterrupted()).as("the watchdog's interrupt is cleared").isFalse();
    }

    @Test
    void aCallAnsweredInFullLeavesItsThreadAloneAfterwards() throws Exception {
        engine.answering("/services", "[]");
        assertThat(docker.listServicesCmd().exec()).isEmpty();
        Thread.sleep(TIMEOUT.multipliedBy(3).toMillis());
        assertThat(Thread.currentThread().isInterrupted()).as("no interrupt after the call").isFalse();
    }

    @Test
    void anUpdateAgainstAStalledEngineFailsInsteadOfHanging() {
        Deployer deployer = new Deployer(docker, ApplyOptions.DEFAULT);
        assertTimeoutPreemptively(Duration.ofSeconds(60), () ->
                assertThatThrownBy(() -> deployer.deploy("stalled", "services:\n  web:\n    image: busybox\n",
                        Map.of(), 18080, 18081, "ailtire/controller:none", null, Map.of(), RegistryAuth.NONE,
                        ImageResolution.NEVER, event -> { }))
                        .hasRootCauseInstanceOf(SocketTimeoutException.class));
    }

    @Test
    void theEventStreamIsNotCutWhileTheEngineIsQuiet() throws Exception {
        CountDownLatch received = new CountDownLatch(1);
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        try (var stream = docker.eventsCmd().exec(new ResultCallback.Adapter<Event>() {
            @Override
            public void onNext(Event event) {
                received.countDown();
            }

            @Override
            public void onError(Throwable error) {
                errors.add(error);
            }
        })) {
            assertThat(received.await(20, TimeUnit.SECONDS)).as("event after %s of quiet; errors %s",
                    TIMEOUT.multipliedBy(4), errors).isTrue();
            assertThat(errors).isEmpty();
        }
    }

    @Test
    void streamsAreToldFromCalls() {
        assertThat(DockerClients.Streams.isStream("/v1.41/events?filters=%7B%7D")).isTrue();
        assertThat(DockerClients.Streams.isStream("/events")).isTrue();
        assertThat(DockerClients.Streams.isStream("/v1.41/services/abc/logs?stdout=true&follow=true&tail=2")).isTrue();
        assertThat(DockerClients.Streams.isStream("/v1.41/services/abc/logs?follow=1")).isTrue();
        assertThat(DockerClients.Streams.isStream("/v1.41/images/create?fromImage=busybox")).isTrue();
        assertThat(DockerClients.Streams.isStream("/v1.41/services/abc/logs?stdout=true&tail=2")).isFalse();
        assertThat(DockerClients.Streams.isStream("/v1.41/services/abc/update?version=3")).isFalse();
        assertThat(DockerClients.Streams.isStream("/v1.41/services?filters=%7B%7D")).isFalse();
        assertThat(DockerClients.Streams.isStream("/v1.41/configs/create")).isFalse();
    }
}
