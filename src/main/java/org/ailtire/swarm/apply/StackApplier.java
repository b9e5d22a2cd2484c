package org.ailtire.swarm.apply;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Service;
import com.github.dockerjava.api.model.ServiceSpec;
import com.github.dockerjava.api.model.Task;
import org.ailtire.stack.RegistryAuth;
import org.ailtire.swarm.Labels;
import org.ailtire.swarm.convert.FileResource;
import org.ailtire.swarm.convert.NetworkResource;
import org.ailtire.swarm.convert.ServiceResource;
import org.ailtire.swarm.convert.StackResources;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Brings the engine to what a {@link StackResources} describes: networks, configs and secrets first, then
 * services (only those whose spec changed), waits until they converge, and only then prunes what the new
 * definition no longer has. When the change does not converge, the stack goes back to what it ran before:
 * updated services get their previous spec again, created services and objects are removed.
 */
public final class StackApplier {
    private final DockerClient docker;
    private final ApplyOptions options;

    public StackApplier(DockerClient docker, ApplyOptions options) {
        this.docker = docker;
        this.options = options;
    }

    /** Applies without registry credentials. */
    public ApplyResult apply(StackResources target, Consumer<ApplyEvent> progress) throws ApplyException {
        return apply(target, RegistryAuth.NONE, progress);
    }

    /**
     * @param auth credentials for the registries of the services' images, sent with every service created or
     *             updated (and restored), so the nodes can pull
     */
    public ApplyResult apply(StackResources target, RegistryAuth auth, Consumer<ApplyEvent> progress)
            throws ApplyException {
        return apply(target, auth, Set.of(), ChildStackRetirement.NONE, progress);
    }

    /**
     * As {@link #apply(StackResources, RegistryAuth, Consumer)}, and the services named in {@code rewrite} get their
     * spec written again even when its hash is the one their labels carry: changed on the engine behind the
     * controller's back (scaled, another image or environment), they are put back to the definition.
     *
     * @param rewrite    engine names of services
     * @param retirement how child stacks the target no longer has are asked to shut down (before their controllers
     *                   are removed, once the rest converged) and forgotten; see {@link DroppedChildStacks}
     */
    public synchronized ApplyResult apply(StackResources target, RegistryAuth auth, Set<String> rewrite,
                                          ChildStackRetirement retirement,
                                          Consumer<ApplyEvent> progress) throws ApplyException {
        ServiceWrites writes = new ServiceWrites(docker, auth);
        Instant started = Instant.now();
        String namespace = target.namespace();
        StackInventory before = StackInventory.read(docker, namespace);
        checkExternalsExist(target);
        Plan plan = Plan.of(target, before, rewrite);
        progress.accept(new ApplyEvent(ApplyEvent.Phase.PLAN, "stack " + namespace, plan.describe()));

        Created created = new Created();
        Map<String, Previous> updated = new LinkedHashMap<>();
        Set<String> baselineTasks = taskIds(before.services().values());
        try {
            createNetworks(target, before, created, progress);
            Map<String, String> configIds = createFiles(target.configs(), before.configIds(), created.configs, "config", progress);
            Map<String, String> secretIds = createFiles(target.secrets(), before.secretIds(), created.secrets, "secret", progress);
            for (ServiceResource service : plan.toCreate()) {
                ServiceSpec spec = SpecReferences.resolve(service.spec(), configIds, secretIds);
                progress.accept(new ApplyEvent(ApplyEvent.Phase.CREATE, "service " + service.key(), service.name()));
                created.services.put(service.key(), writes.create(spec));
            }
            for (ServiceResource service : plan.toUpdate()) {
                Service current = before.services().get(service.name());
                ServiceSpec spec = SpecReferences.resolve(service.spec(), configIds, secretIds);
                progress.accept(new ApplyEvent(ApplyEvent.Phase.UPDATE, "service " + service.key(),
                        rewrite.contains(service.name()) ? "changed on the engine, put back" : "spec changed"));
                RawServiceSpec previousSpec = RawServiceSpec.read(docker, current.getId());
                writes.update(current.getId(), current.getVersion().getIndex(), spec);
                updated.put(service.key(), new Previous(current, previousSpec));
            }
        } catch (DockerException | IllegalStateException e) {
            throw rollBack(namespace, "the engine refused the change: " + e.getMessage(), created, updated, writes,
                    progress, e);
        }

        List<String> changed = new ArrayList<>(created.services.values());
        updated.values().forEach(p -> changed.add(p.service().getId()));
        Optional<String> failure = Convergence.forward(docker, options, progress).await(changed, baselineTasks);
        if (failure.isPresent()) {
            throw rollBack(namespace, failure.get(), created, updated, writes, progress, null);
        }
        progress.accept(new ApplyEvent(ApplyEvent.Phase.CONVERGED, "stack " + namespace, changed.size() + " services changed"));

        prune(target, plan, retirement, progress);
        ApplyResult result = new ApplyResult(keys(plan.toCreate()), keys(plan.toUpdate()), keys(plan.unchanged()),
                plan.toRemove(), Duration.between(started, Instant.now()));
        progress.accept(new ApplyEvent(ApplyEvent.Phase.DONE, "stack " + namespace, summary(result)));
        return result;
    }

    /** Which services {@link #apply} would create, update, leave alone and remove if called now; changes nothing. */
    public PlannedChanges preview(StackResources target) {
        Plan plan = Plan.of(target, StackInventory.read(docker, target.namespace()));
        return new PlannedChanges(keys(plan.toCreate()), keys(plan.toUpdate()), keys(plan.unchanged()), plan.toRemove());
    }

    /** Removes every object labelled with the namespace and waits until the engine has let go of all of them. */
    public synchronized void remove(String namespace, Consumer<ApplyEvent> progress) throws ApplyException {
        removeAll(() -> StackInventory.read(docker, namespace), "stack " + namespace, "", progress);
        progress.accept(new ApplyEvent(ApplyEvent.Phase.DONE, "stack " + namespace, "removed"));
    }

    /**
     * Removes what stacks below {@code stackPath} left on the engine (services first, then their configs, secrets
     * and networks), so a parent whose child could not shut itself down leaves no zombies.
     *
     * @return what was found and removed
     */
    public synchronized List<String> removeBelow(String stackPath, Consumer<ApplyEvent> progress) throws ApplyException {
        return removeAll(() -> StackInventory.readBelow(docker, stackPath), "objects below " + stackPath,
                "left by a child stack", progress);
    }

    /** Services first, then (once their tasks let go) configs, secrets and networks; fails if anything stays. */
    private List<String> removeAll(java.util.function.Supplier<StackInventory> read, String what, String why,
                                   Consumer<ApplyEvent> progress) throws ApplyException {
        StackInventory found = read.get();
        found.describe().forEach(object -> progress.accept(new ApplyEvent(ApplyEvent.Phase.REMOVE, object, why)));
        EngineCleanup cleanup = new EngineCleanup(docker, options.removalTimeout());
        cleanup.removeServices(ids(found.services().values()));
        cleanup.removeConfigs(found.configIds().values());
        cleanup.removeSecrets(found.secretIds().values());
        cleanup.removeNetworks(found.networks().values().stream().map(n -> n.getId()).toList());
        StackInventory after = read.get();
        if (!after.isEmpty()) {
            throw new ApplyException(what + " not fully removed within " + options.removalTimeout().toSeconds()
                    + "s; left: " + String.join(", ", after.describe()), false, null);
        }
        return found.describe();
    }

    private void checkExternalsExist(StackResources target) throws ApplyException {
        List<String> missing = new ArrayList<>();
        for (NetworkResource n : target.networks()) {
            if (n.external() && !networkExists(n.name())) {
                missing.add("network " + n.name());
            }
        }
        for (FileResource c : target.configs()) {
            if (c.external() && docker.listConfigsCmd().withFilters(Map.of("name", List.of(c.name()))).exec().stream()
                    .noneMatch(found -> found.getSpec().getName().equals(c.name()))) {
                missing.add("config " + c.name());
            }
        }
        for (FileResource s : target.secrets()) {
            if (s.external() && docker.listSecretsCmd().withNameFilter(List.of(s.name())).exec().stream()
                    .noneMatch(found -> found.getSpec().getName().equals(s.name()))) {
                missing.add("secret " + s.name());
            }
        }
        if (!missing.isEmpty()) {
            throw new ApplyException("external objects do not exist (create them first): " + String.join(", ", missing),
                    true, null);
        }
    }

    private void createNetworks(StackResources target, StackInventory before, Created created,
                                Consumer<ApplyEvent> progress) {
        for (NetworkResource n : target.networks()) {
            // A parent creates the networks its child's controller joins; the child finds them existing.
            if (n.external() || before.networks().containsKey(n.name()) || networkExists(n.name())) {
                continue;
            }
            progress.accept(new ApplyEvent(ApplyEvent.Phase.CREATE, "network " + n.key(), n.name()));
            var create = docker.createNetworkCmd().withName(n.name()).withDriver(n.driver()).withOptions(n.options())
                    .withAttachable(n.attachable()).withInternal(n.internal()).withLabels(n.labels())
                    .withCheckDuplicate(true);
            if (n.ipam().isSet()) {
                create.withIpam(new com.github.dockerjava.api.model.Network.Ipam().withDriver(n.ipam().driver())
                        .withConfig(n.ipam().subnets().stream()
                                .map(subnet -> new com.github.dockerjava.api.model.Network.Ipam.Config().withSubnet(subnet))
                                .toList()));
            }
            String id = create.exec().getId();
            created.networks.add(id);
        }
    }

    private boolean networkExists(String name) {
        return docker.listNetworksCmd().withNameFilter(name).exec().stream().anyMatch(n -> n.getName().equals(name));
    }

    /** Creates the configs or secrets that do not exist yet; returns engine name to id for all of them. */
    private Map<String, String> createFiles(List<FileResource> files, Map<String, String> existing, List<String> createdIds,
                                            String kind, Consumer<ApplyEvent> progress) {
        Map<String, String> ids = new LinkedHashMap<>(existing);
        for (FileResource f : files) {
            if (f.external()) {
                ids.computeIfAbsent(f.name(), this::lookUpExternal);
                continue;
            }
            if (ids.containsKey(f.name())) {
                continue;
            }
            progress.accept(new ApplyEvent(ApplyEvent.Phase.CREATE, kind + " " + f.key(), f.name()));
            String id = f.templateDriver() != null ? TemplatedFiles.create(docker, kind, f)
                    : kind.equals("config")
                    ? docker.createConfigCmd().withName(f.name()).withData(f.data()).withLabels(f.labels()).exec().getId()
                    : docker.createSecretCmd(new com.github.dockerjava.api.model.SecretSpec().withName(f.name())
                    .withData(SecretText.of(f)).withLabels(f.labels())).exec().getId();
            ids.put(f.name(), id);
            createdIds.add(id);
        }
        return ids;
    }

    private String lookUpExternal(String name) {
        var configs = docker.listConfigsCmd().withFilters(Map.of("name", List.of(name))).exec();
        for (var c : configs) {
            if (c.getSpec().getName().equals(name)) {
                return c.getId();
            }
        }
        for (var s : docker.listSecretsCmd().withNameFilter(List.of(name)).exec()) {
            if (s.getSpec().getName().equals(name)) {
                return s.getId();
            }
        }
        throw new IllegalStateException("external object " + name + " disappeared");
    }

    private ApplyException rollBack(String namespace, String reason, Created created, Map<String, Previous> updated,
                                    ServiceWrites writes, Consumer<ApplyEvent> progress, Throwable cause) {
        progress.accept(new ApplyEvent(ApplyEvent.Phase.FAILED, "stack " + namespace, reason));
        List<String> problems = new ArrayList<>();
        List<Service> updatedServices = updated.values().stream().map(Previous::service).toList();
        Set<String> baseline = taskIds(currentServices(updatedServices));
        for (Map.Entry<String, Previous> entry : updated.entrySet()) {
            Previous previous = entry.getValue();
            progress.accept(new ApplyEvent(ApplyEvent.Phase.ROLLBACK, "service " + entry.getKey(), "previous spec"));
            try {
                restore(previous, writes);
            } catch (DockerException e) {
                problems.add("service " + entry.getKey() + ": " + e.getMessage());
            }
        }
        EngineCleanup cleanup = new EngineCleanup(docker, options.removalTimeout());
        created.services.keySet().forEach(key ->
                progress.accept(new ApplyEvent(ApplyEvent.Phase.ROLLBACK, "service " + key, "remove new service")));
        cleanup.removeServices(created.services.values());
        cleanup.removeConfigs(created.configs);
        cleanup.removeSecrets(created.secrets);
        cleanup.removeNetworks(created.networks);
        Optional<String> restored = Convergence.restoring(docker, options, progress)
                .await(updatedServices.stream().map(Service::getId).toList(), baseline);
        restored.ifPresent(problems::add);
        boolean rolledBack = problems.isEmpty();
        progress.accept(new ApplyEvent(ApplyEvent.Phase.DONE, "stack " + namespace,
                rolledBack ? "rolled back to the previous definition" : "rollback incomplete: " + problems));
        String message = reason + (rolledBack ? "; rolled back to the previous definition"
                : "; rollback failed: " + String.join("; ", problems));
        return new ApplyException(message, rolledBack, cause);
    }

    /**
     * Puts a service's previous spec back, unless swarm's own rollback (failure_action: rollback) already did.
     * A conflict means swarm changed the service meanwhile: read it again and retry.
     */
    private void restore(Previous previous, ServiceWrites writes) {
        String id = previous.service().getId();
        String previousHash = labelOf(previous.service(), Labels.SPEC_HASH);
        for (int attempt = 1; ; attempt++) {
            Service now = docker.inspectServiceCmd(id).exec();
            boolean swarmRolledBack = now.getUpdateStatus() != null
                    && now.getUpdateStatus().getState() == com.github.dockerjava.api.model.ServiceUpdateState.ROLLBACK_STARTED
                    || java.util.Objects.equals(labelOf(now, Labels.SPEC_HASH), previousHash);
            if (swarmRolledBack) {
                return;
            }
            try {
                writes.restore(id, now.getVersion().getIndex(), previous.spec());
                return;
            } catch (DockerException conflict) {
                if (attempt == 3) {
                    throw conflict;
                }
            }
        }
    }

    /** A service as it was before this apply updated it, with its spec as the engine's own JSON. */
    private record Previous(Service service, RawServiceSpec spec) {
    }

    private static String labelOf(Service service, String label) {
        Map<String, String> labels = service.getSpec().getLabels();
        return labels == null ? null : labels.get(label);
    }

    private void prune(StackResources target, Plan plan, ChildStackRetirement retirement,
                       Consumer<ApplyEvent> progress) {
        StackInventory now = StackInventory.read(docker, target.namespace());
        EngineCleanup cleanup = new EngineCleanup(docker, options.removalTimeout());
        List<Service> removed = plan.toRemoveNames().stream().map(now.services()::get)
                .filter(java.util.Objects::nonNull).toList();
        DroppedChildStacks droppedChildren = DroppedChildStacks.among(removed, droppedChildEngine(progress));
        droppedChildren.beforeRemoval(retirement, progress);
        removed.forEach(s ->
                progress.accept(new ApplyEvent(ApplyEvent.Phase.REMOVE, "service " + keyOf(s), "no longer defined")));
        cleanup.removeServices(ids(removed));
        Set<String> keepConfigs = target.configs().stream().map(FileResource::name).collect(Collectors.toSet());
        Set<String> keepSecrets = target.secrets().stream().map(FileResource::name).collect(Collectors.toSet());
        cleanup.removeConfigs(unused(now.resourceConfigIds(), keepConfigs, "config", progress));
        cleanup.removeSecrets(unused(now.resourceSecretIds(), keepSecrets, "secret", progress));
        Set<String> keepNetworks = target.networks().stream().map(NetworkResource::name).collect(Collectors.toSet());
        List<String> networks = new ArrayList<>();
        now.networks().forEach((name, n) -> {
            if (!keepNetworks.contains(name)) {
                progress.accept(new ApplyEvent(ApplyEvent.Phase.REMOVE, "network " + name, "no longer defined"));
                networks.add(n.getId());
            }
        });
        cleanup.removeNetworks(networks);
        droppedChildren.afterRemoval(retirement, progress);
    }

    private DroppedChildStacks.Engine droppedChildEngine(Consumer<ApplyEvent> progress) {
        return new DroppedChildStacks.Engine() {
            @Override
            public List<String> removeSubtree(String path) throws ApplyException {
                return removeAll(() -> StackInventory.readSubtree(docker, path), "child stack " + path,
                        "left by a dropped child stack", progress);
            }

            @Override
            public List<String> leftOf(DroppedChildStacks.Dropped child) {
                List<String> left = new ArrayList<>(StackInventory.readSubtree(docker, child.path()).describe());
                if (docker.listServicesCmd().withNameFilter(List.of(child.controllerService())).exec().stream()
                        .anyMatch(s -> s.getSpec().getName().equals(child.controllerService()))) {
                    left.add("service " + child.controllerService());
                }
                return left;
            }
        };
    }

    private static List<String> unused(Map<String, String> idsByName, Set<String> keep, String kind,
                                       Consumer<ApplyEvent> progress) {
        List<String> ids = new ArrayList<>();
        idsByName.forEach((name, id) -> {
            if (!keep.contains(name)) {
                progress.accept(new ApplyEvent(ApplyEvent.Phase.REMOVE, kind + " " + name, "no longer used"));
                ids.add(id);
            }
        });
        return ids;
    }

    private List<Service> currentServices(java.util.Collection<Service> services) {
        List<Service> current = new ArrayList<>();
        for (Service s : services) {
            try {
                current.add(docker.inspectServiceCmd(s.getId()).exec());
            } catch (NotFoundException gone) {
                // nothing to roll back to; reported by the update itself
            }
        }
        return current;
    }

    private Set<String> taskIds(java.util.Collection<Service> services) {
        Set<String> ids = new HashSet<>();
        for (Service s : services) {
            docker.listTasksCmd().withServiceFilter(s.getId()).exec().stream().map(Task::getId).forEach(ids::add);
        }
        return ids;
    }

    private static List<String> ids(java.util.Collection<Service> services) {
        return services.stream().map(Service::getId).toList();
    }

    private static List<String> keys(List<ServiceResource> services) {
        return services.stream().map(ServiceResource::key).toList();
    }

    static String keyOf(Service s) {
        String key = labelOf(s, Labels.KEY);
        return key != null ? key : s.getSpec().getName();
    }

    private static String summary(ApplyResult r) {
        return r.created().size() + " created, " + r.updated().size() + " updated, " + r.unchanged().size()
                + " unchanged, " + r.removed().size() + " removed in " + r.took().toMillis() + " ms";
    }

    /** What this apply created, so a rollback can take exactly that away again. */
    private static final class Created {
        final Map<String, String> services = new LinkedHashMap<>();
        final List<String> networks = new ArrayList<>();
        final List<String> configs = new ArrayList<>();
        final List<String> secrets = new ArrayList<>();
    }
}
