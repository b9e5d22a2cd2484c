package org.ailtire.swarm.stack;

import com.github.dockerjava.api.DockerClient;
import org.ailtire.definition.DefinitionException;
import org.ailtire.definition.DefinitionLoader;
import org.ailtire.definition.LoadedDefinition;
import org.ailtire.definition.Parameters;
import org.ailtire.definition.Problem;
import org.ailtire.definition.ServiceDefinition;
import org.ailtire.definition.StackDefinition;
import org.ailtire.gateway.StackRoutes;
import org.ailtire.policy.DefinitionPolicy;
import org.ailtire.policy.PolicyCheck;
import org.ailtire.stack.ChildCommands;
import org.ailtire.stack.ChildLogs;
import org.ailtire.stack.ChildRegistry;
import org.ailtire.stack.DefinitionHistory;
import org.ailtire.stack.LogLine;
import org.ailtire.stack.LogRequest;
import org.ailtire.stack.LogSink;
import org.ailtire.stack.RegistryAuth;
import org.ailtire.stack.ServiceOverridesCheck;
import org.ailtire.stack.ServiceTasks;
import org.ailtire.stack.Stack;
import org.ailtire.stack.StackToken;
import org.ailtire.stack.Status;
import org.ailtire.stack.TaskRow;
import org.ailtire.stack.Update;
import org.ailtire.stack.UpdateEvent;
import org.ailtire.stack.UpdatePreview;
import org.ailtire.stack.UpdateProgress;
import org.ailtire.stack.UpdateRequest;
import org.ailtire.swarm.Labels;
import org.ailtire.swarm.apply.ApplyEvent;
import org.ailtire.swarm.apply.ApplyOptions;
import org.ailtire.swarm.apply.PlannedChanges;
import org.ailtire.swarm.apply.StackApplier;
import org.ailtire.swarm.convert.ConvertOptions;
import org.ailtire.swarm.convert.NetworkingDefaults;
import org.ailtire.swarm.convert.StackConverter;
import org.ailtire.swarm.convert.StackResources;
import org.ailtire.swarm.drift.Difference;
import org.ailtire.swarm.drift.Drift;
import org.ailtire.swarm.drift.DriftMode;
import org.ailtire.swarm.drift.DriftWatch;
import org.ailtire.swarm.drift.EngineObjects;
import org.ailtire.swarm.logs.LogQuery;
import org.ailtire.swarm.logs.ServiceLogs;
import org.ailtire.swarm.observe.NodeInfo;
import org.ailtire.swarm.observe.ServiceState;
import org.ailtire.swarm.observe.StackObserver;
import org.ailtire.swarm.observe.StackState;
import org.ailtire.swarm.observe.TaskResync;
import org.ailtire.swarm.registry.Distribution;
import org.ailtire.swarm.registry.EngineDistribution;
import org.ailtire.swarm.registry.ImagePinner;
import org.ailtire.swarm.topology.ControllerSettings;
import org.ailtire.swarm.topology.StackPlace;
import org.ailtire.swarm.topology.Topology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A stack on Docker Swarm: its definition is loaded, rewritten for the micro-segmented topology, converted and
 * applied; its live status comes from the events stream; its logs from the engine. Child stacks run as services of
 * this stack (their controllers) and appear in the status tree once they register.
 */
public final class SwarmStack extends Stack {
    private static final Logger LOG = LoggerFactory.getLogger(SwarmStack.class);
    private static final Duration LAST_LINE_MAX_AGE = Duration.ofSeconds(2);
    /** An original child's stop grace period (a minute) and a little: then what its tree left is swept. */
    private static final Duration ORIGINAL_CHILD_EMPTY_WITHIN = Duration.ofSeconds(75);

    private final StackPlace place;
    private final Topology topology;
    private final ImagePinner pinner;
    private final StackConverter converter;
    private final StackApplier applier;
    private final StackObserver observer;
    private final ServiceLogs logs;
    private final ExecutorService background;
    private final Map<String, LastLine> lastLines = new ConcurrentHashMap<>();
    private final Set<String> refreshing = ConcurrentHashMap.newKeySet();
    private final ChildLogs childLogs;
    private final DriftWatch drift;
    private final UpdateRoutes routes = new UpdateRoutes();
    private final DroppedChildren droppedChildren;
    private final DefinitionPolicy policy;
    private final PolicyCheck policyCheck;
    private volatile StackState observed;
    private final int adminPort;
    private final OriginalChildEngine originalChildren;
    private final Function<String, Set<String>> originalNamespaces;
    private final AutoRedeploy autoRedeploy;

    private record LastLine(String text, Instant readAt) {
    }

    public SwarmStack(StackPlace place, DockerClient docker, ControllerSettings settings, NetworkingDefaults networking,
                      ApplyOptions applyOptions, TaskResync resync, ChildRegistry children, ChildCommands childCommands, ChildLogs childLogs,
                      Clock clock, ExecutorService background, Duration childShutdownTimeout, DefinitionHistory history,
                      StackToken token) {
        this(place, docker, settings, networking, applyOptions, resync, children, childCommands, childLogs, clock,
                background, childShutdownTimeout, history, token, key -> Set.of());
    }

    /**
     * @param originalNamespaces the namespaces the tree of an original child stack ran when it last told (by key),
     *                           which must be empty once it shut down
     */
    public SwarmStack(StackPlace place, DockerClient docker, ControllerSettings settings, NetworkingDefaults networking,
                      ApplyOptions applyOptions, TaskResync resync, ChildRegistry children, ChildCommands childCommands,
                      ChildLogs childLogs, Clock clock, ExecutorService background, Duration childShutdownTimeout,
                      DefinitionHistory history, StackToken token,
                      Function<String, Set<String>> originalNamespaces) {
        super(place.path().substring(place.path().lastIndexOf('/') + 1), children, childCommands, clock, background,
                childShutdownTimeout, history);
        this.place = place;
        this.adminPort = settings.adminPort();
        this.topology = new Topology(settings, token);
        this.policy = settings.policy();
        this.policyCheck = new PolicyCheck(settings.policy(), Set.of(settings.tokenSecret()));
        Distribution distribution = new EngineDistribution(docker);
        this.pinner = new ImagePinner(distribution);
        this.converter = new StackConverter(new ConvertOptions(place.path(), networking));
        this.applier = new StackApplier(docker, applyOptions);
        this.originalChildren = new OriginalChildEngine(docker, applier, ORIGINAL_CHILD_EMPTY_WITHIN);
        this.originalNamespaces = originalNamespaces;
        this.observer = new StackObserver(docker, place.namespace(), resync);
        this.logs = new ServiceLogs(docker);
        this.background = background;
        this.childLogs = childLogs;
        this.droppedChildren = new DroppedChildren(childShutdowns(), settings.adminPort(),
                new ParentNetworkJoin(docker, place, ParentNetworkJoin::hostName)::join, this::retireOriginalChild);
        this.observed = observer.state();
        this.drift = new DriftWatch(place.namespace(), () -> EngineObjects.read(docker, place.namespace()),
                settings.drift(), events(), this::changed, this::startRepair, clock);
        this.autoRedeploy = new AutoRedeploy(place.path(), distribution, this::runningImages,
                service -> refreshImages(Set.of(service), AutoRedeploy.ACTOR, AutoRedeploy.ACTOR));
        // Every update that succeeds (the start's adoption among them) arms the timers of the version it applied.
        onUpdateFinished((kind, outcome) -> {
            if ("update".equals(kind) && outcome.state() == Update.State.SUCCEEDED) {
                autoRedeploy.arm(this::autoRedeployed);
            }
        });
    }

    /** The services of the version applied now that follow their tags (see {@link AutoRedeploy}). */
    private AutoRedeploy.Watch autoRedeployed() {
        Optional<UpdateRequest> request = lastAppliedRequest();
        if (request.isEmpty()) {
            return AutoRedeploy.Watch.NONE;
        }
        Map<String, ServiceDefinition> services;
        try {
            services = loadDefinition(request.get()).definition().services();
        } catch (DefinitionException e) {
            LOG.warn("stack {}: auto-redeploy: the version applied now no longer loads: {}", place.path(),
                    e.getMessage());
            return AutoRedeploy.Watch.NONE;
        }
        List<AutoRedeploy.Watched> watched = new ArrayList<>();
        services.values().forEach(service -> service.ailtire().autoRedeploy().ifPresent(interval ->
                watched.add(new AutoRedeploy.Watched(service.name(), service.image(), interval))));
        return new AutoRedeploy.Watch(watched, request.get().registryAuth());
    }

    /**
     * Follows the engine's events for this stack: every snapshot the observer publishes becomes the status tree's
     * services, pushed to listeners from then on.
     */
    public void startObserving() {
        observer.subscribe(this::observed);
        observer.start();
        observed(observer.state());
    }

    private void observed(StackState state) {
        if (state.version() >= observed.version()) {
            observed = state;
            changed();
            drift.observed();
        }
    }

    public StackPlace place() {
        return place;
    }

    /**
     * What an update would apply, with nothing applied yet: every level of the tree is loaded and checked.
     *
     * @param definition the definition rewritten for the engine, images not yet pinned
     */
    public record Plan(StackDefinition definition, StackResources resources, StackRoutes routes) {
    }

    /** Checks a definition the way an update would (routes too), with nothing applied. */
    public Plan plan(UpdateRequest request) throws DefinitionException {
        Map<String, String> variables = Parameters.variables(request.environment(), request.parameters());
        LoadedDefinition loaded = DefinitionLoader.withFiles(request.files()).withCheck(policyCheck)
                .load(request.definition(), variables);
        ServiceOverridesCheck.check(loaded.definition(), request);
        StackRoutes declared = StackRoutes.declaredBy(loaded.definition());
        Topology.Expanded expanded = topology.expand(place, loaded.definition(), request.registryAuth(),
                request.files());
        return new Plan(expanded.definition(),
                converter.convert(place.namespace(), expanded.definition(), request.overrides()).resources(), declared);
    }

    /** The routes and targets of the definition being applied or applied last (for the gateway). */
    public StackRoutes routes() {
        return routes.current();
    }

    /** The routes of the version applied last, which a failed update leaves running again. */
    private Optional<StackRoutes> lastAppliedRoutes() {
        try {
            var request = lastAppliedRequest();
            return request.isEmpty() ? Optional.empty()
                    : Optional.of(StackRoutes.declaredBy(loadDefinition(request.get()).definition()));
        } catch (DefinitionException e) {
            return Optional.empty();
        }
    }

    @Override
    protected UpdateJob prepareUpdate(UpdateRequest request) throws DefinitionException {
        Plan plan = plan(request);
        return progress -> {
            // Registries are asked before anything is applied: one that refuses fails the update here.
            StackResources resources = pinned(plan, request,
                    warning -> progress.report("image", "warning", warning), progress::imagesPinned);
            routes.during(plan.routes(), this::lastAppliedRoutes,
                    () -> applyWatched(resources, request.registryAuth(), drift.rewrites(), progress));
        };
    }

    /**
     * Applies with the drift watch paused (what the controller changes is not drift); what a successful apply left is
     * compared with from then on. Services that drifted are written again (see {@link Drift#rewrites()}).
     */
    private void applyWatched(StackResources resources, RegistryAuth auth, Set<String> rewrite, UpdateProgress progress)
            throws Exception {
        drift.pause();
        StackResources applied = null;
        try {
            applier.apply(resources, auth, rewrite, droppedChildren,
                    event -> progress.report(event.phase().name().toLowerCase(Locale.ROOT), event.subject(),
                            event.message()));
            applied = resources;
        } finally {
            drift.resume(applied, auth);
        }
    }

    /** Puts the stack back to what the last successful apply produced, as an update would (see {@link #repair}). */
    private Optional<CompletionStage<Boolean>> startRepair(DriftWatch.Applied applied, Drift seen) {
        return repair(DriftWatch.ACTOR, seen.summary(),
                progress -> applyWatched(applied.target(), applied.auth(), seen.rewrites(), progress))
                .map(update -> {
                    CompletableFuture<Boolean> outcome = new CompletableFuture<>();
                    update.subscribe(new Update.Listener() {
                        @Override
                        public void event(UpdateEvent event) {
                        }

                        @Override
                        public void finished(Update.View view) {
                            outcome.complete(view.state() == Update.State.SUCCEEDED);
                        }
                    });
                    return outcome;
                });
    }

    @Override
    protected Optional<String> drift() {
        Drift now = drift.current();
        return now.isEmpty() ? Optional.empty() : Optional.of(now.describe());
    }

    @Override
    protected void shutdownStarted() {
        drift.close();
        autoRedeploy.close();
    }

    @Override
    protected UpdatePreview.ServiceChanges plannedChanges(UpdateRequest request) throws DefinitionException {
        StackResources resources;
        try {
            resources = pinned(plan(request), request, warning -> { }, images -> { });
        } catch (ImagePinner.RefusedImage e) {
            throw new DefinitionException(List.of(Problem.error("images", e.getMessage())));
        }
        PlannedChanges planned = applier.preview(resources);
        return new UpdatePreview.ServiceChanges(planned.create(), planned.update(), planned.unchanged(),
                planned.remove());
    }

    /** The plan's resources with every image pinned as the request asks (see {@link ImagePinner}). */
    private StackResources pinned(Plan plan, UpdateRequest request, Consumer<String> warnings,
                                  Consumer<Map<String, String>> images)
            throws ImagePinner.RefusedImage, DefinitionException {
        ImagePinner.Pinned pinned = pinner.pin(plan.definition(), request.resolveImage(), request.registryAuth(),
                runningImages(), request.pins(), request.refresh());
        pinned.warnings().forEach(warning -> {
            LOG.warn("stack {}: {}", place.path(), warning);
            warnings.accept(warning);
        });
        images.accept(ImagePinner.pinnedImages(pinned.definition()));
        return converter.convert(place.namespace(), pinned.definition(), request.overrides()).resources();
    }

    /** The image each service of this stack runs now, by service key, as the observer last saw it. */
    private Map<String, String> runningImages() {
        Map<String, String> images = new java.util.HashMap<>();
        observed.services().values().stream().filter(s -> s.image() != null)
                .forEach(s -> images.put(s.key(), s.image()));
        return images;
    }

    @Override
    protected void stopOwnServices() throws Exception {
        Consumer<ApplyEvent> log = event -> LOG.info("shutdown {}: {}", place.path(), event);
        // Children have shut down (or were given up on): first what an unreachable child left, then our own
        // services (the child controllers among them), then anything a child still running recreated meanwhile.
        // Observing ends either way: a shutdown that failed (an engine that did not answer) leaves nothing running.
        try {
            retireOriginalChildren(log);
            applier.removeBelow(place.path(), log);
            applier.remove(place.namespace(), log);
            applier.removeBelow(place.path(), log);
        } finally {
            observer.close();
            drift.close();
            autoRedeploy.close();
        }
    }

    /**
     * Original child stacks were asked to shut down (their {@code GET /_admin/shutdown}); each one's service is
     * removed now, and its tree's namespaces are swept once empty (see {@link OriginalChildEngine#retire}), before this
     * stack's own objects (their family networks among them) go. An original's stack is named as it names a child's:
     * its service's name and slot.
     */
    private void retireOriginalChildren(Consumer<ApplyEvent> log) throws Exception {
        for (ServiceState service : observed.services().values()) {
            if (isOriginalChild(service)) {
                retire(service, log);
            }
        }
    }

    /** After an update that drops the child {@code key} asked it to shut down: the end of its tree, if original. */
    private void retireOriginalChild(String key) throws Exception {
        ServiceState service = observed.services().get(key);
        if (service != null && isOriginalChild(service)) {
            retire(service, event -> LOG.info("dropped original child {} of {}: {}", key, place.path(), event));
        }
    }

    private void retire(ServiceState service, Consumer<ApplyEvent> log) throws Exception {
        Set<String> namespaces = new LinkedHashSet<>(originalNamespaces.apply(service.key()));
        namespaces.add(service.name() + "-1");
        originalChildren.retire(service.id(), service.name(), namespaces, Topology.familyNetwork(place, service.key()),
                log);
    }

    @Override
    protected Map<String, String> originalChildUrls() {
        Map<String, String> urls = new java.util.TreeMap<>();
        observed.services().values().stream().filter(SwarmStack::isOriginalChild)
                .forEach(s -> urls.put(s.key(), "http://" + StackPlace.hostName(s.key()) + ":"
                        + Topology.ORIGINAL_ADMIN_PORT));
        return urls;
    }

    @Override
    protected boolean heldByOriginalChild(String key, String address) {
        ServiceState service = observed.services().get(key);
        return service != null && isOriginalChild(service)
                && originalChildren.holds(service.id(), place.child(key).parentNetwork(), address);
    }

    @Override
    protected DefinitionPolicy policy() {
        return policy;
    }

    @Override
    protected List<Status.Node> clusterNodes() {
        return observed.nodes().values().stream()
                .map(n -> new Status.Node(n.hostname(), n.role(), n.state(), n.availability()))
                .sorted(java.util.Comparator.comparing(Status.Node::role).thenComparing(Status.Node::name))
                .toList();
    }

    /** Desired (the replicas; for a global service, the tasks meant to run) and running tasks of the own services. */
    @Override
    public List<ServiceTasks> serviceTasks() {
        List<ServiceTasks> counts = new ArrayList<>();
        for (ServiceState service : observed.services().values()) {
            if (isChildStack(service)) {
                continue;
            }
            long desired = service.desiredReplicas() != null ? service.desiredReplicas()
                    : service.tasks().stream().filter(t -> "running".equals(t.desiredState())).count();
            counts.add(new ServiceTasks(service.key(), desired, service.running()));
        }
        return counts;
    }

    /** The latest task of each slot (each node, for a global service) of the own services, child stacks left out. */
    @Override
    public List<TaskRow> tasks() {
        StackState state = observed;
        List<TaskRow> rows = new ArrayList<>();
        for (ServiceState service : state.services().values()) {
            if (isChildStack(service)) {
                continue;
            }
            Set<String> slots = new HashSet<>();
            for (var task : service.tasks()) {
                String slot = task.slot() != null ? String.valueOf(task.slot()) : String.valueOf(task.nodeId());
                if (slots.add(slot)) {
                    NodeInfo node = task.nodeId() == null ? null : state.nodes().get(task.nodeId());
                    rows.add(new TaskRow(task.id(), service.key(), slot, service.image(),
                            node == null ? "" : node.hostname(), task.state(), task.desiredState(),
                            task.error() == null ? "" : task.error()));
                }
            }
        }
        return rows;
    }

    @Override
    protected List<Status> serviceStatuses() {
        StackState state = observed;
        Set<String> registered = new HashSet<>();
        children().children().forEach(c -> registered.add(c.registration().name()));
        List<Status> statuses = new ArrayList<>();
        for (ServiceState service : state.services().values()) {
            if (isChildStack(service)) {
                if (!registered.contains(service.key())) {
                    String why = ServiceStates.unplaced(service).map(m -> "its controller is " + m)
                            .orElse("waiting for the child stack's controller to register");
                    statuses.add(Status.stack(service.key(), childState(service), why, null, service.changedAt(),
                            List.of()));
                }
                continue;
            }
            List<String> nodes = service.tasks().stream()
                    .filter(t -> "running".equals(t.state()) && "running".equals(t.desiredState()))
                    .map(t -> nodeName(state, t.nodeId())).distinct().sorted().toList();
            String message = ServiceStates.unplaced(service).orElseGet(() -> lastLine(service));
            statuses.add(Status.service(service.key(), ServiceStates.of(service), message, service.changedAt())
                    .onNodes(nodes).placed(ServiceStates.placement(service, state.nodes())));
        }
        // A service the definition has and the engine no longer (removed behind the controller's back) shows stopped.
        for (Difference removed : drift.current().removedServices()) {
            if (!state.services().containsKey(removed.key()) && !registered.contains(removed.key())) {
                String why = "removed behind the controller's back"
                        + (drift.mode() == DriftMode.REPAIR ? "; being put back" : "");
                statuses.add(removed.childStack()
                        ? Status.stack(removed.key(), Status.State.STOPPED, why, null, state.asOf(), List.of())
                        : Status.service(removed.key(), Status.State.STOPPED, why, state.asOf()));
            }
        }
        return statuses;
    }

    /** The node's host name, marked when the node does not run tasks (down, drained, paused). */
    private static String nodeName(StackState state, String nodeId) {
        NodeInfo node = state.nodes().get(nodeId);
        if (node == null) {
            return nodeId;
        }
        return node.healthy() ? node.hostname()
                : node.hostname() + " (" + ("ready".equals(node.state()) ? node.availability() : node.state()) + ")";
    }

    /**
     * The child stack controllers the applied definition runs (the engine's services of this stack that the topology
     * made child stacks), each at the URL the topology gives it. A child created by the update in progress is there
     * as soon as the engine has its service, before its controller can register.
     */
    @Override
    protected Map<String, String> childStackUrls() {
        Map<String, String> urls = new java.util.TreeMap<>();
        observed.services().values().stream().filter(s -> isChildStack(s) && !isOriginalChild(s))
                .forEach(s -> urls.put(s.key(), StackPlace.controllerUrl(s.key(), adminPort)));
        return urls;
    }

    private static boolean isChildStack(ServiceState service) {
        return Labels.KIND_STACK.equals(service.labels().get(Labels.KIND));
    }

    private static boolean isOriginalChild(ServiceState service) {
        return isChildStack(service) && Labels.COMPATIBILITY_ORIGINAL.equals(service.labels().get(Labels.COMPATIBILITY));
    }

    private static Status.State childState(ServiceState service) {
        Status.State state = ServiceStates.of(service);
        return state == Status.State.RUNNING ? Status.State.STARTING : state;
    }

    /** The service's last log line, read in the background when older than a moment (never on the caller's thread). */
    private String lastLine(ServiceState service) {
        LastLine known = lastLines.get(service.name());
        Instant now = clock().instant();
        if ((known == null || known.readAt().plus(LAST_LINE_MAX_AGE).isBefore(now)) && refreshing.add(service.name())) {
            background.execute(() -> {
                try {
                    String text = logs.lastLine(service.name()).map(org.ailtire.swarm.logs.LogLine::text).orElse("");
                    LastLine previous = lastLines.put(service.name(), new LastLine(text, clock().instant()));
                    if (previous == null || !previous.text().equals(text)) {
                        changed();
                    }
                } catch (RuntimeException e) {
                    LOG.debug("last line of {}: {}", service.name(), e.toString());
                } finally {
                    refreshing.remove(service.name());
                }
            });
        }
        return known == null ? "" : known.text();
    }

    @Override
    public AutoCloseable log(LogRequest request, LogSink sink) {
        if (request.service().isPresent() && request.service().get().contains("/")) {
            String path = request.service().get();
            String child = path.substring(0, path.indexOf('/'));
            var registered = children().find(child)
                    .orElseThrow(() -> new org.ailtire.stack.NoSuchServiceException(path));
            return childLogs.forward(registered.registration(), new LogRequest(
                    Optional.of(path.substring(path.indexOf('/') + 1)), request.tail(), request.since(),
                    request.streams(), request.follow()), sink);
        }
        if (request.service().isPresent()) {
            List<String> service = List.of(engineName(request.service().get()));
            return new EngineLogReader(logs, background).read(service, place.namespace(), toQuery(request),
                    request.follow(), sink);
        }
        // The whole stack: its own services and, through them, every child stack's.
        List<String> own = observed.services().values().stream()
                .filter(s -> !isChildStack(s)).map(ServiceState::name).toList();
        var reachable = children().children().stream().filter(c -> c.reachable()).toList();
        FanInSink fanIn = new FanInSink(sink, request.follow(), 1 + reachable.size());
        List<AutoCloseable> sources = new ArrayList<>();
        sources.add(new EngineLogReader(logs, background).read(own, place.namespace(), toQuery(request),
                request.follow(), fanIn.own()));
        for (var child : reachable) {
            sources.add(childLogs.forward(child.registration(), request, fanIn.child(child.registration().name())));
        }
        return () -> {
            for (AutoCloseable source : sources) {
                source.close();
            }
        };
    }

    @Override
    public int logStreams(LogRequest request) {
        if (request.service().isPresent()) {
            return 1;
        }
        long own = observed.services().values().stream().filter(s -> !isChildStack(s)).count();
        long reachable = children().children().stream().filter(c -> c.reachable()).count();
        return (int) Math.max(1, own + reachable);
    }

    private String engineName(String key) {
        ServiceState service = observed.services().get(key);
        if (service == null || isChildStack(service)) {
            throw new org.ailtire.stack.NoSuchServiceException(key);
        }
        return service.name();
    }

    private static LogQuery toQuery(LogRequest request) {
        LogQuery query = LogQuery.all();
        if (request.since().isPresent()) {
            query = query.withSince(request.since().get());
        } else if (request.follow() && request.tail() == 0) {
            // New lines only: those from now on. Not a tail of 0, which the engine applies to each task as it attaches
            // to it, so the first lines of a task started later (during an update) would be lost.
            query = query.withSince(Instant.now());
        }
        if (!request.follow() || request.tail() > 0) {
            query = query.withTail(request.tail());
        }
        return switch (request.streams()) {
            case STDOUT -> query.onlyStdout();
            case STDERR -> query.onlyStderr();
            case BOTH -> query;
        };
    }

    /** Lines of this stack's own services, for the API's log sink. */
    static LogLine toApi(String key, org.ailtire.swarm.logs.LogLine line) {
        return new LogLine(key, line.stream() == org.ailtire.swarm.logs.LogLine.Stream.STDERR
                ? LogLine.Stream.STDERR : LogLine.Stream.STDOUT, line.timestamp(), line.text());
    }

    public void close() {
        observer.close();
        drift.close();
        autoRedeploy.close();
    }
}
