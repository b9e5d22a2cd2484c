package org.ailtire.stack;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executor;

/** The updates of one stack: at most one running, the last {@value #KEPT} kept for their progress. */
final class Updates {
    static final int KEPT = 20;

    /** The engine part of an update, run off the caller's thread. */
    @FunctionalInterface
    interface Job {
        void run(UpdateProgress progress) throws Exception;
    }

    private final Clock clock;
    private final Executor executor;
    private final Map<String, Update> byId = new LinkedHashMap<>();
    private java.util.concurrent.CompletableFuture<Void> running = java.util.concurrent.CompletableFuture.completedFuture(null);

    Updates(Clock clock, Executor executor) {
        this.clock = clock;
        this.executor = executor;
    }

    synchronized Update start(Job job, Runnable whenDone) {
        byId.values().stream().filter(Update::isRunning).findFirst().ifPresent(running -> {
            throw new UpdateInProgressException(running.id());
        });
        Update update = new Update(UUID.randomUUID().toString(), clock);
        byId.put(update.id(), update);
        while (byId.size() > KEPT) {
            byId.remove(byId.keySet().iterator().next());
        }
        java.util.concurrent.CompletableFuture<Void> done = new java.util.concurrent.CompletableFuture<>();
        running = done;
        executor.execute(() -> {
            Throwable failure = null;
            try {
                job.run(update::report);
            } catch (Exception | Error e) {
                failure = e;
            }
            update.finish(failure);
            whenDone.run();
            done.complete(null);
        });
        return update;
    }

    /** Completes when no update is running (at once when none is). */
    synchronized java.util.concurrent.CompletableFuture<Void> idle() {
        return running;
    }

    synchronized Optional<Update> find(String id) {
        return Optional.ofNullable(byId.get(id));
    }
}
