package org.ailtire.stack;

import org.ailtire.definition.DefinitionException;
import org.ailtire.definition.DefinitionFiles;
import org.ailtire.definition.DefinitionLoader;
import org.ailtire.definition.LoadedDefinition;
import org.ailtire.definition.Parameters;
import org.ailtire.definition.Problem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * A stack: a service that runs other services and child stacks (the spec's abstract Stack).
 *
 * <p>This class holds what does not depend on the container engine: the status tree (own services, then
 * registered child stacks), registration, update bookkeeping and progress, and the shutdown order (children
 * first, bottom-up). An engine implementation supplies the services' statuses, the update itself, stopping the
 * own services and the logs, and calls {@link #changed()} when its services change.
 */
public abstract class Stack extends Service {
    private static final Logger LOG = LoggerFactory.getLogger(Stack.class);
    static final int EVENTS_KEPT = 500;

    /** The engine part of one update, run off the caller's thread; it reports its steps as it goes. */
    @FunctionalInterface
    public interface UpdateJob {
        void run(UpdateProgress progress) throws Exception;
    }

    private final ChildRegistry children;
    private final ChildShutdowns childShutdowns;
    private final Clock clock;
    private final Executor executor;
    private final Updates updates;
    private final DefinitionHistory history;
    private final StackEvents events;
    private final List<Consumer<Status>> listeners = new CopyOnWriteArrayList<>();
    private final List<BiConsumer<String, Update.View>> finishedUpdates = new CopyOnWriteArrayList<>();
    private final Object delivery = new Object();
    private volatile Status.State state = Status.State.RUNNING;
    private volatile String message = "";
    private volatile AppliedDefinition applied;
    private CompletableFuture<Void> shutdown;

    /** A stack whose history lives in this process only. */
    protected Stack(String name, ChildRegistry children, ChildCommands childCommands, Clock clock,
                    Executor executor, Duration childShutdownTimeout) {
        this(name, children, childCommands, clock, executor, childShutdownTimeout, new InMemoryHistory(clock, 20));
    }

    protected Stack(String name, ChildRegistry children, ChildCommands childCommands, Clock clock,
                    Executor executor, Duration childShutdownTimeout, DefinitionHistory history) {
        super(name);
        this.history = history;
        this.events = new StackEvents(clock, EVENTS_KEPT);
        this.children = children;
        this.childShutdowns = new ChildShutdowns(children, childCommands, childShutdownTimeout);
        this.clock = clock;
        this.executor = executor;
        this.updates = new Updates(clock, executor);
        children.addListener(this::changed);
    }

    /** The statuses of this stack's own services (not the child stacks), in a stable order. */
    protected abstract List<Status> serviceStatuses();

    /**
     * Checks an update request and prepares the job that applies it.
     *
     * @throws DefinitionException when the definition cannot be used, with every problem found
     */
    protected abstract UpdateJob prepareUpdate(UpdateRequest request) throws DefinitionException;

    /** Stops and removes this stack's own services; child stacks have already shut down. */
    protected abstract void stopOwnServices() throws Exception;

    /**
     * Which services an update with this request would create, update, leave alone and remove; nothing is applied.
     *
     * @throws DefinitionException when the definition cannot be used
     */
    protected abstract UpdatePreview.ServiceChanges plannedChanges(UpdateRequest request) throws DefinitionException;

    /** The policy the stack checks definitions against, for the status; null by default (not told). */
    protected org.ailtire.policy.DefinitionPolicy policy() {
        return null;
    }

    /** The latest task of each slot of the stack's own services (not its child stacks'); none by default. */
    public List<TaskRow> tasks() {
        return List.of();
    }

    /** Desired and running tasks of each of the stack's own services (not its child stacks'); none by default. */
    public List<ServiceTasks> serviceTasks() {
        return List.of();
    }

    /** The nodes the stack runs on, for the status; none by default (an engine without nodes). */
    protected List<Status.Node> clusterNodes() {
        return List.of();
    }

    /**
     * How the stack's objects on the engine differ from what its definition produced, e.g. {@code drifted: service
     * web removed}; empty when they do not (or it is not known). A running stack that drifted is shown
     * {@link Status.State#DRIFTED}.
     */
    protected Optional<String> drift() {
        return Optional.empty();
    }

    /** The shutdown has begun (nothing is repaired from now on); called once, before children are asked to stop. */
    protected void shutdownStarted() {
    }

    @Override
    public final Status status() {
        List<Status> tree = new ArrayList<>(serviceStatuses());
        tree.addAll(children.statuses());
        Status.State shown = state;
        String text = message;
        Optional<String> drifted = state == Status.State.RUNNING ? drift() : Optional.empty();
        if (drifted.isPresent()) {
            shown = Status.State.DRIFTED;
            text = drifted.get() + (message.isEmpty() ? "" : "; " + message);
        }
        return Status.stack(name(), shown, text, null, clock.instant(), tree).withCluster(clusterNodes())
                .withPolicy(policy());
    }

    /**
     * Runs a repair of the stack's own objects the way updates run: one at a time, never beside an update or a
     * shutdown, its progress on the returned handle (listed with the updates). The stack shows {@code DRIFTED} until
     * the repair is done (it is, until then); no definition version is kept (the definition is the one applied).
     *
     * @param what what is repaired, for the status and the events list
     * @return empty when an update or a repair runs, or the stack shuts down: nothing was started
     */
    protected final synchronized Optional<Update> repair(String actor, String what, UpdateJob job) {
        if (shutdown != null || state == Status.State.STOPPING || state == Status.State.STOPPED) {
            return Optional.empty();
        }
        String before = message;
        AtomicReference<String> failure = new AtomicReference<>();
        Update update;
        try {
            update = updates.start(progress -> {
                setState(Status.State.DRIFTED, "drifted: " + what + "; repairing");
                try {
                    job.run(progress);
                } catch (Exception | Error e) {
                    failure.set(String.valueOf(e.getMessage()));
                    throw e;
                }
            }, () -> {
                if (state == Status.State.DRIFTED) {
                    setState(Status.State.RUNNING, failure.get() != null ? "last repair failed: " + failure.get()
                            : before.startsWith("last repair failed") ? "" : before);
                }
            });
        } catch (UpdateInProgressException busy) {
            return Optional.empty();
        }
        events.add(actor, "repair", "started", "update " + update.id() + ": " + what);
        recordOutcome(update, actor, "repair");
        return Optional.of(update);
    }

    /** An update whose caller is not known (see {@link #update(UpdateRequest, String)}). */
    public final Update update(UpdateRequest request) throws DefinitionException {
        return update(request, "unknown");
    }

    /**
     * Starts an update; its progress is on the returned handle. Once it ends, the definition is kept in the history
     * with its outcome (unless it is the version applied now, applied again).
     *
     * @param actor who asks (for the history and the events list)
     * @throws DefinitionException        when the definition is unusable (nothing was started)
     * @throws UpdateInProgressException when another update still runs
     */
    public final Update update(UpdateRequest sent, String actor) throws DefinitionException {
        requireNotShuttingDown();
        UpdateRequest request = withAppliedFiles(sent);
        UpdateJob job = prepareUpdate(request);
        Update update;
        // Under the lock shutdown() takes: either the shutdown sees this update running and waits for it, or the
        // update sees the shutdown and does not start.
        synchronized (this) {
            if (shutdown != null) {
                throw new IllegalStateException("stack " + name() + " is shutting down");
            }
            requireNotShuttingDown();
            update = startUpdate(request, actor, job);
        }
        events.add(actor, "update", "started", "update " + update.id());
        recordOutcome(update, actor, "update");
        return update;
    }

    /** Once the update ends, the events list says how, as {@code kind} (an update, or a repair). */
    private void recordOutcome(Update update, String actor, String kind) {
        update.subscribe(new Update.Listener() {
            @Override
            public void event(UpdateEvent event) {
            }

            @Override
            public void finished(Update.View outcome) {
                events.add(actor, kind, outcome.state() == Update.State.SUCCEEDED ? "succeeded" : "failed",
                        "update " + outcome.id() + (outcome.error() == null ? "" : ": " + outcome.error()));
                finishedUpdates.forEach(listener -> listener.accept(kind, outcome));
            }
        });
    }

    private Update startUpdate(UpdateRequest request, String actor, UpdateJob job) {
        AtomicReference<String> failure = new AtomicReference<>();
        return updates.start(progress -> {
            setState(Status.State.UPDATING, "update running");
            AtomicReference<Map<String, String>> pinned = new AtomicReference<>(request.pins());
            try {
                job.run(new UpdateProgress() {
                    @Override
                    public void report(String phase, String subject, String message) {
                        progress.report(phase, subject, message);
                    }

                    @Override
                    public void imagesPinned(Map<String, String> images) {
                        pinned.set(images);
                    }
                });
            } catch (Exception | Error e) {
                failure.set(String.valueOf(e.getMessage()));
                keep(request.withPins(pinned.get()), actor, DefinitionVersion.Outcome.FAILED, failure.get(), progress);
                throw e;
            }
            int version = keep(request.withPins(pinned.get()), actor, DefinitionVersion.Outcome.APPLIED, "", progress);
            applied = new AppliedDefinition(request.definition(), clock.instant(), version);
        }, () -> {
            if (state == Status.State.UPDATING) {
                // The stack runs on; its status says the last update did not go through until the next one does.
                setState(Status.State.RUNNING, failure.get() == null ? "" : "last update failed: " + failure.get());
            }
        });
    }

    /**
     * Scales one of the stack's own services: an update that applies the version applied now (its definition,
     * variables, files and images) with the service's replicas set; it is kept in the history like any update and
     * rolled back the same way. An update with a new definition starts from that definition's replicas again.
     *
     * @throws DefinitionException   when the service is not one of the stack's own replicated services
     * @throws IllegalStateException when nothing was applied yet
     */
    public final Update scale(String service, int replicas, String actor) throws DefinitionException {
        UpdateRequest now = appliedRequest("scale " + service);
        ServiceOverrides scaled;
        try {
            scaled = now.overrides().scaled(service, replicas);
        } catch (IllegalArgumentException e) {
            throw new DefinitionException(List.of(Problem.error("services." + service, e.getMessage())));
        }
        return update(now.withOverrides(scaled), actor + " (scale " + service + " to " + replicas + ")");
    }

    /**
     * Redeploys services of the stack (all its own services when none is named): their tags are resolved to digests
     * again and their tasks are replaced even when the digest did not move (a reused tag pulled again, like
     * {@code docker service update --force}). An update kept in the history; a rollback goes back to the digests
     * the earlier version ran.
     */
    public final Update redeploy(Set<String> services, String actor) throws DefinitionException {
        UpdateRequest now = appliedRequest("redeploy");
        Set<String> named = services.isEmpty() ? ownServiceKeys(now) : services;
        ServiceOverrides redeployed = now.overrides();
        for (String service : named) {
            redeployed = redeployed.redeployed(service);
        }
        return update(now.withOverrides(redeployed).withRefresh(named),
                actor + " (redeploy " + String.join(", ", new TreeSet<>(named)) + ")");
    }

    /**
     * Resolves the tags of services of the stack (all its own when none is named) to digests again and updates those
     * whose digest moved; the others are left alone. What a CI webhook and auto-redeploy ask for.
     *
     * @param why what asked, for the history (e.g. {@code webhook})
     */
    public final Update refreshImages(Set<String> services, String actor, String why) throws DefinitionException {
        UpdateRequest now = appliedRequest(why);
        Set<String> named = services.isEmpty() ? ownServiceKeys(now) : services;
        return update(now.withRefresh(named), actor + " (" + why + ": " + String.join(", ", new TreeSet<>(named)) + ")");
    }

    /** The request of the version applied now, for an update that changes only services' settings. */
    private UpdateRequest appliedRequest(String what) {
        return lastAppliedRequest().orElseThrow(() -> new IllegalStateException("cannot " + what + ": stack " + name()
                + " has no definition applied yet"));
    }

    /**
     * The stack's own services in a request's definition (not its child stacks), for a redeploy that names none.
     *
     * @throws DefinitionException when the definition no longer loads
     */
    protected Set<String> ownServiceKeys(UpdateRequest request) throws DefinitionException {
        Set<String> own = new TreeSet<>();
        loadDefinition(request).definition().services().forEach((key, service) -> {
            if (!service.ailtire().isChildStack() && !service.ailtire().isOriginalChild()) {
                own.add(key);
            }
        });
        return own;
    }

    /**
     * A request's definition loaded with its variables and files, as it was applied (no policy check: it passed one).
     *
     * @throws DefinitionException when it no longer loads
     */
    protected static LoadedDefinition loadDefinition(UpdateRequest request) throws DefinitionException {
        Map<String, String> variables = Parameters.variables(request.environment(), request.parameters());
        return DefinitionLoader.withFiles(request.files()).load(request.definition(), variables);
    }

    /**
     * Applies an earlier version of the definition again, with the variables it was applied with.
     *
     * @throws NoSuchVersionException when the history does not hold that version
     */
    public final Update rollback(int version, String actor) throws DefinitionException {
        return applyKept(version, actor, "rollback", "to version " + version);
    }

    /**
     * Applies the version a restarted controller finds in its history again: services that already run it are left
     * alone, and no new version is kept.
     */
    public final Update adopt(int version, String actor) throws DefinitionException {
        return applyKept(version, actor, "adopt", "version " + version);
    }

    private Update applyKept(int version, String actor, String action, String what) throws DefinitionException {
        UpdateRequest request = history.request(version).orElseThrow(() -> new NoSuchVersionException(version));
        events.add(actor, action, "requested", what);
        return update(request, actor + " (" + action + " " + what + ")");
    }

    /** What an update with this request would change, against the definition applied now; nothing is applied. */
    public final UpdatePreview preview(UpdateRequest sent) throws DefinitionException {
        AppliedDefinition now = applied;
        DefinitionFiles before = DefinitionFiles.NONE;
        String unreadable = null;
        try {
            before = appliedFiles(now);
        } catch (DefinitionHistory.HistoryException e) {
            unreadable = "# files sent with the definition: cannot compare with version " + now.version() + " ("
                    + e.getMessage() + ")\n";
        }
        UpdateRequest request = keepingFiles(sent, before);
        UpdatePreview.ServiceChanges changes = plannedChanges(request);
        String base = now == null ? "" : now.definition();
        String baseName = now == null ? "(nothing applied)" : "version " + now.version();
        return new UpdatePreview(now == null ? 0 : now.version(),
                DefinitionDiff.unified(baseName, base, "proposed", request.definition())
                        + (unreadable != null ? unreadable : filesChanged(before, request)),
                changes);
    }

    /** The request an update applies: one that sends no files keeps those of the version applied now. */
    private UpdateRequest withAppliedFiles(UpdateRequest sent) {
        if (!sent.files().isEmpty()) {
            return sent;
        }
        AppliedDefinition now = applied;
        try {
            return keepingFiles(sent, appliedFiles(now));
        } catch (DefinitionHistory.HistoryException e) {
            LOG.warn("stack {}: the files of version {} could not be read from the history: {}", name(), now.version(),
                    e.getMessage());
            return sent;
        }
    }

    /**
     * A request that sends no files keeps {@code applied}, those of the version applied now: the console and other API
     * clients edit the text only and cannot send the local files it names. Files that are sent replace them all.
     */
    private static UpdateRequest keepingFiles(UpdateRequest sent, DefinitionFiles applied) {
        return sent.files().isEmpty() ? sent.withFiles(applied) : sent;
    }

    /**
     * The files of the version applied now, read from the history; none when nothing is applied.
     *
     * @throws DefinitionHistory.HistoryException when the history cannot be read
     */
    private DefinitionFiles appliedFiles(AppliedDefinition now) {
        if (now == null || now.version() <= 0) {
            return DefinitionFiles.NONE;
        }
        return history.request(now.version()).map(UpdateRequest::files).orElse(DefinitionFiles.NONE);
    }

    /** Which files sent with the definition differ from those applied now, by name: their content is never shown. */
    private static String filesChanged(DefinitionFiles before, UpdateRequest request) {
        List<String> changed = request.files().changesFrom(before);
        if (changed.isEmpty()) {
            return "";
        }
        StringBuilder text = new StringBuilder("# files sent with the definition (their content is not shown):\n");
        changed.forEach(line -> text.append("#   ").append(line).append('\n'));
        return text.toString();
    }

    /** The versions kept in the history, oldest first. */
    public final List<DefinitionVersion> versions() {
        return history.versions();
    }

    /** Who did what to this stack, and when (recent events, oldest first). */
    public final StackEvents events() {
        return events;
    }

    /** Records the outcome in the history; returns the version that is now applied (0 when it could not be kept). */
    private int keep(UpdateRequest request, String actor, DefinitionVersion.Outcome outcome, String message,
                     UpdateProgress progress) {
        try {
            Optional<DefinitionVersion> current = history.current();
            // The text first: the request (with its variables) is read only when the text is the same.
            if (outcome == DefinitionVersion.Outcome.APPLIED && current.isPresent()
                    && current.get().definition().equals(request.definition())
                    && history.request(current.get().version()).filter(request::sameInputs).isPresent()) {
                progress.report("history", "version " + current.get().version(), "the definition applied already");
                return current.get().version();
            }
            // Which services were refreshed belongs to this update, not to the version: applied again, it pins.
            DefinitionVersion kept = history.record(request.withRefresh(Set.of()), actor, outcome, message);
            progress.report("history", "version " + kept.version(), outcome.name().toLowerCase(Locale.ROOT));
            return outcome == DefinitionVersion.Outcome.APPLIED ? kept.version() : 0;
        } catch (RuntimeException e) {
            LOG.warn("stack {}: the definition could not be kept in the history: {}", name(), e.toString());
            progress.report("history", "", "could not keep this definition: " + e.getMessage());
            events.add(actor, "history", "failed", String.valueOf(e.getMessage()));
            return 0;
        }
    }

    /**
     * The request of the version applied last, as the history holds it (a restarted controller finds it there too);
     * empty when none was applied or the history cannot be read. During an update, this is the version it replaces.
     */
    protected final Optional<UpdateRequest> lastAppliedRequest() {
        try {
            return history.current().flatMap(version -> history.request(version.version()));
        } catch (DefinitionHistory.HistoryException e) {
            LOG.warn("stack {}: the version applied last cannot be read: {}", name(), e.getMessage());
            return Optional.empty();
        }
    }

    /** Asks child stacks to shut down and forgets them; for an update that drops a child stack. */
    protected final ChildShutdowns childShutdowns() {
        return childShutdowns;
    }

    /** The definition of the last update that succeeded; empty before the first one. */
    public final Optional<AppliedDefinition> appliedDefinition() {
        return Optional.ofNullable(applied);
    }

    public final Optional<Update> findUpdate(String id) {
        return updates.find(id);
    }

    /**
     * Shuts the stack down bottom-up: every registered child stack first (each given a bounded time), then the
     * own services. Asking again returns the shutdown already under way or done; one that failed (an engine that did
     * not answer, say) is tried again.
     */
    public final CompletableFuture<Void> shutdown() {
        return shutdown("unknown");
    }

    /** @param actor who asks (for the events list) */
    public final synchronized CompletableFuture<Void> shutdown(String actor) {
        if (shutdown != null && !shutdown.isCompletedExceptionally()) {
            return shutdown;
        }
        shutdownStarted();
        // An update still applying would recreate what the shutdown removes: let it finish first.
        boolean updating = !updates.idle().isDone();
        events.add(actor, "shutdown", "started", updating ? "waiting for the running update" : "");
        setState(Status.State.STOPPING, updating ? "waiting for the running update" : "shutting down child stacks");
        shutdown = updates.idle()
                .thenCompose(idle -> {
                    setState(Status.State.STOPPING, "shutting down child stacks");
                    List<CompletableFuture<ChildShutdowns.Outcome>> childStops = children.children().stream()
                            .map(child -> childShutdowns.ask(child.registration()))
                            .toList();
                    return CompletableFuture.allOf(childStops.toArray(CompletableFuture[]::new));
                })
                .thenRunAsync(() -> {
                    setState(Status.State.STOPPING, "stopping own services");
                    try {
                        stopOwnServices();
                    } catch (Exception e) {
                        setState(Status.State.FAILED, "shutdown failed: " + e.getMessage());
                        events.add(actor, "shutdown", "failed", String.valueOf(e.getMessage()));
                        throw new IllegalStateException("shutdown of " + name() + " failed", e);
                    }
                    events.add(actor, "shutdown", "succeeded", "");
                    setState(Status.State.STOPPED, "");
                }, executor);
        return shutdown;
    }

    /**
     * Registers a child stack. Only a child stack of this stack may register, at the URL its place in the tree gives
     * (see {@link #childStackUrls()}): the parent sends the tree's token to that URL, so a token holder must not be
     * able to choose it.
     *
     * @throws IllegalArgumentException naming the key and the URL expected, when the registration is not one of those
     */
    public final ChildRegistry.Child register(Registration registration) {
        requireNotShuttingDown();
        if (registration.name().equals(name())) {
            throw new IllegalArgumentException("name: a stack cannot register as its own child: " + name());
        }
        java.util.Map<String, String> expected = childStackUrls();
        String url = expected.get(registration.name());
        if (url == null) {
            throw new IllegalArgumentException("name: " + registration.name() + " is not a child stack of " + name()
                    + (expected.isEmpty() ? " (it has none)" : " (its child stacks: "
                    + String.join(", ", new java.util.TreeSet<>(expected.keySet())) + ")"));
        }
        if (!url.equals(registration.url())) {
            throw new IllegalArgumentException("url: child stack " + registration.name() + " registers with "
                    + url + ", the URL the topology gives it; got " + registration.url());
        }
        ChildRegistry.Child child = children.register(registration);
        events.add(registration.name(), "register", "succeeded", registration.url());
        return child;
    }

    /**
     * Registers an original (Node.js) ailtire child stack from its {@code GET /_admin/register}, which carries no
     * token: only a request from an address a task of that child's service holds on its link network (see
     * {@link #heldByOriginalChild}) is one. It is registered under its key in this stack's definition, at the URL the
     * topology gives it, whatever it advertises.
     *
     * @param service the register call's {@code service} (the child's key; the original appends {@code /test})
     * @param caller  the address the request came from
     * @return empty when the request is not one of this stack's original children's
     */
    public final Optional<ChildRegistry.Child> registerOriginal(String service, String caller) {
        requireNotShuttingDown();
        if (service == null || caller == null) {
            return Optional.empty();
        }
        String key = service.endsWith("/test") ? service.substring(0, service.length() - "/test".length()) : service;
        String url = originalChildUrls().get(key);
        if (url == null || !heldByOriginalChild(key, caller)) {
            LOG.warn("stack {}: register call for original child {} from {} refused (not one of its tasks)", name(),
                    key, caller);
            return Optional.empty();
        }
        ChildRegistry.Child child = children.register(Registration.original(key, url, key));
        events.add(key, "register", "succeeded", url + " (original child, from " + caller + ")");
        return Optional.of(child);
    }

    /** The original child stacks this stack runs, by key, each with the base URL the topology gives it; none here. */
    protected java.util.Map<String, String> originalChildUrls() {
        return java.util.Map.of();
    }

    /** Whether a task of the original child stack {@code key} holds {@code address} on its link network; no here. */
    protected boolean heldByOriginalChild(String key, String address) {
        return false;
    }

    /**
     * The child stacks that may register with this stack, each with the base URL of its controller that the
     * topology gives it. None by default.
     */
    protected java.util.Map<String, String> childStackUrls() {
        return java.util.Map.of();
    }

    /** @return false when the child is not registered (it must register again) */
    public final boolean report(String childName, Status reported) {
        return children.report(childName, reported);
    }

    public final ChildRegistry children() {
        return children;
    }

    /**
     * Hears of every change of the status tree (from any thread, one delivery at a time, so the last status a
     * listener got is the newest); returns what removes the listener. Listeners must not block.
     */
    public final Runnable onChange(Consumer<Status> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /**
     * Hears of every update and repair once it ended, with its kind ({@code update} or {@code repair}) and outcome;
     * returns what removes the listener. Listeners must not block.
     */
    public final Runnable onUpdateFinished(BiConsumer<String, Update.View> listener) {
        finishedUpdates.add(listener);
        return () -> finishedUpdates.remove(listener);
    }

    /**
     * Like {@link #onChange}, but hands the status now to the listener first: no change can fall between that
     * first status and the subscription, nor be delivered before it.
     */
    public final Runnable watch(Consumer<Status> listener) {
        synchronized (delivery) {
            listener.accept(status());
            listeners.add(listener);
        }
        return () -> listeners.remove(listener);
    }

    /** Implementations call this when one of their services changed. */
    protected final void changed() {
        if (listeners.isEmpty()) {
            return;
        }
        // Changes come from several threads (engine events, updates, child reports): taking the status and
        // delivering it under one lock keeps an older status from overtaking a newer one on its way out.
        synchronized (delivery) {
            Status now = status();
            listeners.forEach(l -> l.accept(now));
        }
    }

    protected final Clock clock() {
        return clock;
    }

    private void setState(Status.State newState, String newMessage) {
        state = newState;
        message = newMessage;
        changed();
    }

    private void requireNotShuttingDown() {
        if (state == Status.State.STOPPING || state == Status.State.STOPPED) {
            throw new IllegalStateException("stack " + name() + " is shutting down");
        }
    }
}
