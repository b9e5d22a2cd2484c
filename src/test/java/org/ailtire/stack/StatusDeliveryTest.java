package org.ailtire.stack;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/** Status listeners get every change in the order the changes happened, from whichever threads they come. */
class StatusDeliveryTest {

    @Test
    void anOlderStatusNeverOvertakesANewerOne() throws Exception {
        FakeStack stack = FakeStack.simple("top");
        stack.setService("web", Status.State.RUNNING);
        CountDownLatch olderTaken = new CountDownLatch(1);
        AtomicBoolean first = new AtomicBoolean(true);
        List<Status.State> seen = new CopyOnWriteArrayList<>();
        // Holds the first delivery (its status already taken) for a while, as a descheduled thread would.
        stack.onChange(status -> {
            if (first.compareAndSet(true, false)) {
                olderTaken.countDown();
                sleep(300);
            }
        });
        stack.onChange(status -> seen.add(webState(status)));

        Thread older = Thread.ofPlatform().start(() -> stack.setService("web", Status.State.UPDATING));
        assertThat(olderTaken.await(5, TimeUnit.SECONDS)).isTrue();
        Thread newer = Thread.ofPlatform().start(() -> stack.setService("web", Status.State.RUNNING));
        older.join(5_000);
        newer.join(5_000);

        assertThat(seen).containsExactly(Status.State.UPDATING, Status.State.RUNNING);
    }

    @Test
    void watchingStartsWithTheStatusNowThenEveryChange() {
        FakeStack stack = FakeStack.simple("top");
        stack.setService("web", Status.State.STARTING);
        List<Status.State> seen = new CopyOnWriteArrayList<>();

        Runnable stop = stack.watch(status -> seen.add(webState(status)));
        stack.setService("web", Status.State.RUNNING);
        stop.run();
        stack.setService("web", Status.State.FAILED);

        assertThat(seen).containsExactly(Status.State.STARTING, Status.State.RUNNING);
    }

    private static Status.State webState(Status stack) {
        return stack.children().stream().filter(s -> s.name().equals("web")).findFirst().orElseThrow().state();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
