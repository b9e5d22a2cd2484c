package org.ailtire.stack;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class StackRepairTest {
    private static final UpdateRequest REQUEST = new UpdateRequest(List.of(), Map.of(), "services: {}",
            RegistryAuth.NONE, ImageResolution.ALWAYS);

    private static List<String> events(FakeStack stack) {
        return stack.events().all().stream().map(e -> e.action() + " " + e.result()).toList();
    }

    @Test
    void aRunningStackThatDriftedShowsDriftedWithTheDifferences() {
        FakeStack stack = FakeStack.simple("top");
        stack.setService("web", Status.State.RUNNING);
        assertThat(stack.status().state()).isEqualTo(Status.State.RUNNING);

        stack.drifted = "drifted: service api removed";

        assertThat(stack.status().state()).isEqualTo(Status.State.DRIFTED);
        assertThat(stack.status().message()).isEqualTo("drifted: service api removed");
        assertThat(stack.status().aggregate()).isEqualTo(Aggregate.HEALTHY);
    }

    @Test
    void aRepairShowsDriftedUntilItIsDoneAndIsListed() {
        FakeStack stack = FakeStack.simple("top");
        stack.updateGate = new CountDownLatch(1);

        Update repair = stack.startRepair("service api removed").orElseThrow();

        await().until(() -> stack.status().state() == Status.State.DRIFTED);
        assertThat(stack.status().message()).isEqualTo("drifted: service api removed; repairing");
        assertThat(stack.findUpdate(repair.id())).contains(repair);
        stack.updateGate.countDown();
        await().until(() -> !repair.isRunning());
        await().until(() -> stack.status().state() == Status.State.RUNNING);
        assertThat(stack.status().message()).isEmpty();
        await().until(() -> events(stack).contains("repair succeeded"));
        assertThat(events(stack)).containsExactly("repair started", "repair succeeded");
        assertThat(stack.versions()).as("a repair keeps no definition version").isEmpty();
    }

    @Test
    void aFailedRepairIsSaid() {
        FakeStack stack = FakeStack.simple("top");
        stack.updateFailure = "the engine refused";

        Update repair = stack.startRepair("service api removed").orElseThrow();

        await().until(() -> !repair.isRunning());
        await().until(() -> stack.status().message().equals("last repair failed: the engine refused"));
        assertThat(stack.status().state()).isEqualTo(Status.State.RUNNING);
        await().until(() -> events(stack).contains("repair failed"));
    }

    @Test
    void noRepairBesideAnUpdateAndNoUpdateBesideARepair() throws Exception {
        FakeStack stack = FakeStack.simple("top");
        stack.updateGate = new CountDownLatch(1);
        Update update = stack.update(REQUEST, "alice");

        assertThat(stack.startRepair("service api removed")).isEmpty();

        stack.updateGate.countDown();
        await().until(() -> !update.isRunning());
        stack.updateGate = new CountDownLatch(1);
        Update repair = stack.startRepair("service api removed").orElseThrow();
        assertThatThrownBy(() -> stack.update(REQUEST, "alice")).isInstanceOf(UpdateInProgressException.class);
        stack.updateGate.countDown();
        await().until(() -> !repair.isRunning());
    }

    @Test
    void noRepairOnceTheShutdownBegan() {
        FakeStack stack = FakeStack.simple("top");
        stack.drifted = "drifted: service api removed";

        stack.shutdown().join();

        assertThat(stack.shutdownsStarted).hasValue(1);
        assertThat(stack.startRepair("service api removed")).isEmpty();
        await().atMost(Duration.ofSeconds(5)).until(() -> stack.status().state() == Status.State.STOPPED);
        assertThat(stack.status().message()).as("a stopped stack is not called drifted").isEmpty();
    }
}
