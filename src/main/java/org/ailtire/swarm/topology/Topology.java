package org.ailtire.swarm.topology;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.ailtire.definition.AiltireExtension;
import org.ailtire.definition.ConfigDefinition;
import org.ailtire.definition.DefinitionException;
import org.ailtire.definition.DefinitionFiles;
import org.ailtire.definition.DefinitionLoader;
import org.ailtire.definition.NetworkDefinition;
import org.ailtire.definition.Problem;
import org.ailtire.definition.SecretDefinition;
import org.ailtire.definition.ServiceDefinition;
import org.ailtire.definition.ServiceDefinition.Deploy;
import org.ailtire.definition.ServiceDefinition.FileReference;
import org.ailtire.definition.ServiceDefinition.ServiceNetwork;
import org.ailtire.definition.ServiceDefinition.VolumeMount;
import org.ailtire.definition.StackDefinition;
import org.ailtire.metrics.MetricsToken;
import org.ailtire.policy.DefinitionPolicy;
import org.ailtire.policy.PolicyCheck;
import org.ailtire.stack.ImageResolution;
import org.ailtire.stack.RegistryAuth;
import org.ailtire.stack.StackToken;
import org.ailtire.swarm.Labels;
import org.ailtire.swarm.registry.ImageReference;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The micro-segmented topology of one stack, as a pure rewrite of its definition before conversion. Every child
 * stack service ({@code x-ailtire: {stack: ...}}) becomes a controller service that:
 * <ul>
 *   <li>gets the child's definition as a config, and its environment and its own token as secrets (the top
 *       stack's token is the tree's, made by {@code deploy}; every other child's is derived from this stack's, see
 *       {@link StackToken});</li>
 *   <li>joins the child's parent network (with the service key as alias; this stack's controller reaches it
 *       there), the child's own networks (so it can reach the child's services) and one parent network per
 *       grandchild stack. This stack creates those networks, since a service can only join networks that exist
 *       when it is created; the child finds them by name and leaves them alone.</li>
 * </ul>
 * Ordinary services keep the networks of their definition, all of them this stack's own: they cannot reach the
 * parent, other stacks or the controllers except through a gateway.
 */
public final class Topology {
    static final String MANAGERS_ONLY = "node.role==manager";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PREFIX = "ailtire-";
    private static final int MAX_SECRET_BYTES = 500 * 1024;
    /** The port an original child stack serves on ({@code AILTIRE_STACKADMINPORT}, the original's default). */
    public static final int ORIGINAL_ADMIN_PORT = 3000;

    /**
     * The name a child stack's controller reaches its parent's controller by, on the child's parent network. Engine
     * service names hold {@code _}, which a URL's host name cannot, so controllers use aliases; the alias names the
     * child, because a controller is on several children's parent networks and on its own, and a plain "parent"
     * would resolve to itself as well.
     */
    public static String parentAlias(String childKey) {
        return "ailtire-parent-of-" + StackPlace.hostName(childKey);
    }

    private final ControllerSettings settings;
    private final StackToken token;
    private final TopTls topTls;

    /** A topology that only reads trees ({@link #children}): it cannot expand a definition with child stacks. */
    public Topology(ControllerSettings settings) {
        this(settings, null);
    }

    /**
     * @param token the token of the stack this topology expands (at the root: the tree's, which the top stack gets
     *              as it is); each child gets its own derived from it, and everything handed to a child (registry
     *              credentials, files) is keyed with the child's token
     */
    public Topology(ControllerSettings settings, StackToken token) {
        this(settings, token, null);
    }

    private Topology(ControllerSettings settings, StackToken token, TopTls topTls) {
        this.settings = settings;
        this.token = token;
        this.topTls = topTls;
    }

    /** This topology, and when it expands the root: the top controller terminates TLS (see {@link TopTls}). */
    public Topology withTopTls(TopTls tls) {
        return new Topology(settings, token, tls);
    }

    /** The token of {@code self}'s child {@code key}: the tree's own for the top stack, else derived from self's. */
    private StackToken tokenOf(StackPlace self, String key) {
        if (token == null) {
            throw new IllegalStateException("child stacks need the token of the stack that starts them");
        }
        return self.isRoot() ? token : token.child(key);
    }

    /** A definition rewritten for the engine, and the child stacks found in it. */
    public record Expanded(StackDefinition definition, List<ChildStack> children) {
        public Expanded {
            children = List.copyOf(children);
        }
    }

    public Expanded expand(StackPlace self, StackDefinition definition) throws DefinitionException {
        return expand(self, definition, RegistryAuth.NONE);
    }

    /**
     * @param auth         credentials of this update; each child gets those for the registries its own tree uses, as
     *                     a secret of its own
     */
    public Expanded expand(StackPlace self, StackDefinition definition, RegistryAuth auth)
            throws DefinitionException {
        return expand(self, definition, auth, DefinitionFiles.NONE);
    }

    /**
     * @param files the files of this update's tree (see {@link DefinitionFiles}); each child gets those of its own
     *              tree, as a secret of its own
     */
    public Expanded expand(StackPlace self, StackDefinition definition, RegistryAuth auth, DefinitionFiles files)
            throws DefinitionException {
        List<ChildStack> children = children(self, definition, files);
        DefinitionPolicy childPolicy = PolicyCheck.effective(settings.policy(), definition);
        Map<String, ServiceDefinition> services = new LinkedHashMap<>(definition.services());
        Map<String, NetworkDefinition> networks = new LinkedHashMap<>(definition.networks());
        Map<String, ConfigDefinition> configs = new LinkedHashMap<>(definition.configs());
        Map<String, SecretDefinition> secrets = new LinkedHashMap<>(definition.secrets());
        if (self.isRoot() && !children.isEmpty()) {
            secrets.put(PREFIX + "token", new SecretDefinition(null, true, settings.tokenSecret(), Map.of()));
        }
        for (ChildStack child : children) {
            StackToken childToken = tokenOf(self, child.key());
            ServiceDefinition declared = definition.services().get(child.key());
            Map<String, ServiceNetwork> attached = new LinkedHashMap<>();
            String parentKey = PREFIX + child.key() + "-parent";
            networks.put(parentKey, ownedNetwork(child.place().parentNetwork()));
            attached.put(parentKey, new ServiceNetwork(List.of(StackPlace.hostName(child.key()))));
            for (var entry : child.loaded().networks().entrySet()) {
                if (entry.getValue().external() || isUnusedDefault(child.loaded(), entry.getValue())) {
                    continue;
                }
                String key = PREFIX + child.key() + "-net-" + entry.getKey();
                String name = entry.getValue().name() != null ? entry.getValue().name() : child.place().network(entry.getKey());
                networks.put(key, childNetwork(name, entry.getValue()));
                attached.put(key, ServiceNetwork.PLAIN);
            }
            for (String grandchild : stackKeys(child.loaded())) {
                String key = PREFIX + child.key() + "-child-" + grandchild;
                networks.put(key, ownedNetwork(child.place().child(grandchild).parentNetwork()));
                attached.put(key, new ServiceNetwork(List.of(parentAlias(grandchild))));
            }
            String definitionConfig = PREFIX + child.key() + "-definition";
            configs.put(definitionConfig, new ConfigDefinition(child.definition().getBytes(StandardCharsets.UTF_8),
                    false, null, Map.of()));
            List<FileReference> childSecrets = new ArrayList<>();
            if (self.isRoot()) {
                childSecrets.add(new FileReference(PREFIX + "token", ControllerSettings.TOKEN_FILE, null, null, 0400));
            } else {
                // Content-addressed like the others, and removed with the child; the name's hash is of an HMAC
                // output, which tells nothing about the token.
                String tokenSecret = PREFIX + child.key() + "-token";
                secrets.put(tokenSecret, new SecretDefinition(childToken.value().getBytes(StandardCharsets.UTF_8),
                        false, null, Map.of()));
                childSecrets.add(new FileReference(tokenSecret, ControllerSettings.TOKEN_FILE, null, null, 0400));
            }
            // The variables the child is given (deploy's -e DB_PASSWORD=..., a parent's interpolated environment)
            // may be secret: a swarm secret, which no inspect shows, not a config.
            String environmentSecret = PREFIX + child.key() + "-environment";
            secrets.put(environmentSecret, new SecretDefinition(json(child.environment()), false, null, Map.of()));
            childSecrets.add(new FileReference(environmentSecret, ControllerSettings.ENVIRONMENT_FILE, null, null, 0400));
            RegistryAuth childAuth = auth.only(registries(child));
            if (!childAuth.isEmpty()) {
                String authSecret = PREFIX + child.key() + "-registry-auth";
                secrets.put(authSecret, new SecretDefinition(new RegistryAuthFile(childToken.value()).write(childAuth),
                        false, null, Map.of()));
                childSecrets.add(new FileReference(authSecret, ControllerSettings.REGISTRY_AUTH_FILE, null, null, 0400));
            }
            if (!child.files().isEmpty()) {
                secrets.put(PREFIX + child.key() + "-files", new SecretDefinition(filesSecret(child, childToken), false,
                        null, Map.of()));
                childSecrets.add(new FileReference(PREFIX + child.key() + "-files", ControllerSettings.FILES_FILE, null,
                        null, 0400));
            }
            if (self.isRoot() && topTls != null) {
                // Content-addressed like the others: a new certificate is a new secret, which rolls the top controller.
                // The name's hash is of a file holding a random private key: nothing can be guessed from it.
                // Unless the deploy keeps the one mounted now and hands the new certificate over through the API.
                secrets.put(PREFIX + "tls", topTls.mountedSecret()
                        .map(mounted -> new SecretDefinition(null, true, mounted, Map.of()))
                        .orElseGet(() -> new SecretDefinition(topTls.pem(), false, null, Map.of())));
                childSecrets.add(new FileReference(PREFIX + "tls", ControllerSettings.TLS_FILE, null, null, 0400));
            }
            services.put(child.key(), controller(self, child, declared, childPolicy, attached,
                    List.of(new FileReference(definitionConfig, ControllerSettings.DEFINITION_FILE, null, null, 0444)),
                    childSecrets));
        }
        for (ServiceDefinition declared : definition.services().values()) {
            if (declared.ailtire().isOriginalChild()) {
                services.put(declared.name(), originalChild(self, declared, networks));
            }
        }
        if (networks.get("default") == NetworkDefinition.DEFAULT
                && services.values().stream().noneMatch(s -> s.networks().containsKey("default"))) {
            networks.remove("default");
        }
        return new Expanded(new StackDefinition(services, networks, definition.volumes(), configs, secrets,
                definition.extensions()), children);
    }

    /** The child stacks of a definition, each loaded (so every level of the tree is checked before anything runs). */
    public List<ChildStack> children(StackPlace self, StackDefinition definition) throws DefinitionException {
        return children(self, definition, DefinitionFiles.NONE);
    }

    /** @param files the files of this stack's tree; each child is loaded with its own */
    public List<ChildStack> children(StackPlace self, StackDefinition definition, DefinitionFiles files)
            throws DefinitionException {
        return children(self, definition, files, settings == null ? null : settings.policy());
    }

    /**
     * @param received the policy of the stack at {@code self}; its children's definitions are checked against it
     *                 narrowed by {@code definition}'s own, and by their own; null checks none (a topology without
     *                 settings only reads the tree, e.g. for its registries)
     */
    private List<ChildStack> children(StackPlace self, StackDefinition definition, DefinitionFiles files,
                                      DefinitionPolicy received) throws DefinitionException {
        DefinitionPolicy forChildren = received == null ? null : PolicyCheck.effective(received, definition);
        org.ailtire.definition.DefinitionCheck check = forChildren == null ? org.ailtire.definition.DefinitionCheck.NONE
                : new PolicyCheck(forChildren, java.util.Set.of(settings.tokenSecret()));
        List<ChildStack> children = new ArrayList<>();
        List<Problem> problems = new ArrayList<>();
        for (ServiceDefinition service : definition.services().values()) {
            var reference = service.ailtire().stack();
            if (reference.isEmpty()) {
                continue;
            }
            String text = reference.get().definition();
            String path = "services." + service.name() + "." + AiltireExtension.KEY;
            StackPlace place;
            try {
                place = self.child(service.name());
            } catch (IllegalArgumentException tooDeep) {
                problems.add(Problem.error(path, tooDeep.getMessage()));
                continue;
            }
            try {
                // Loading checks the child's routes too: a bad route of a child refuses this update, not the child.
                DefinitionFiles own = files.child(service.name());
                StackDefinition loaded = DefinitionLoader.withFiles(own).withCheck(check)
                        .load(text, service.environment()).definition();
                children(place, loaded, own, forChildren); // grandchildren are checked here too, to any depth
                children.add(new ChildStack(service.name(), place, text, service.environment(), loaded, own));
            } catch (DefinitionException e) {
                e.problems().stream().filter(p -> p.severity() == Problem.Severity.ERROR)
                        .map(p -> Problem.error(path + ".stack" + (p.path().isEmpty() ? "" : "." + p.path()), p.message()))
                        .forEach(problems::add);
            }
        }
        if (!problems.isEmpty()) {
            throw new DefinitionException(problems);
        }
        return children;
    }

    /**
     * Whether {@code network} is the implicit {@code default} of a definition whose only users of it are child stack
     * services: expanding that definition drops it (its controllers join other networks), so nothing would use it.
     */
    private static boolean isUnusedDefault(StackDefinition definition, NetworkDefinition network) {
        return network == NetworkDefinition.DEFAULT && definition.services().values().stream()
                .filter(s -> !s.ailtire().isChildStack() && !s.ailtire().isOriginalChild())
                .noneMatch(s -> s.networks().containsKey("default"));
    }

    /** Keys of the services of a definition that are child stacks, ours and original ones. */
    public static List<String> stackKeys(StackDefinition definition) {
        return definition.services().values().stream()
                .filter(s -> s.ailtire().isChildStack() || s.ailtire().isOriginalChild())
                .map(ServiceDefinition::name).toList();
    }

    /**
     * The attachable network an original child stack {@code key} of {@code self} deploys its own stack's services on
     * ({@code AILTIRE_PARENT_NETWORK}, external in its definition), named as the original names it:
     * {@code <app>_<stack>_<service>_family}. It is this stack's (labelled with its namespace): this stack removes it.
     */
    public static String familyNetwork(StackPlace self, String key) {
        return StackPlace.engineName(self.app()) + "_" + self.namespace() + "_" + StackPlace.engineName(key) + "_family";
    }

    /**
     * An original (Node.js) ailtire child stack: the declared service (its image, its configs) run the way the
     * original runs its child stacks. It joins the child link network this stack's controller is on (the key as
     * alias) and its family network, gets the engine's socket and the original's variables, runs on a manager, and
     * stops on SIGINT (the only signal on which the original removes its stack) within a minute. It restarts only
     * when it fails: after {@code GET /_admin/shutdown} it exits, and restarting would deploy its stack again.
     */
    private ServiceDefinition originalChild(StackPlace self, ServiceDefinition declared,
                                            Map<String, NetworkDefinition> networks) {
        String key = declared.name();
        String linkKey = PREFIX + key + "-parent";
        String familyKey = PREFIX + key + "-family";
        networks.put(linkKey, ownedNetwork(self.child(key).parentNetwork()));
        networks.put(familyKey, new NetworkDefinition("overlay", Map.of(), true, false, false, familyNetwork(self, key),
                Map.of(Labels.KIND, "original-family")));
        Map<String, ServiceNetwork> attached = new LinkedHashMap<>();
        attached.put(linkKey, new ServiceNetwork(List.of(StackPlace.hostName(key))));
        attached.put(familyKey, ServiceNetwork.PLAIN);
        Map<String, String> environment = new LinkedHashMap<>(declared.environment());
        environment.put("AILTIRE_APPNAME", self.app());
        environment.put("AILTIRE_STACKNAME", "{{.Service.Name}}-{{.Task.Slot}}");
        environment.put("AILTIRE_SERVICENAME", key);
        environment.put("AILTIRE_PARENTHOST", parentAlias(key));
        environment.put("AILTIRE_PARENTPORT", Integer.toString(settings.adminPort()));
        environment.put("AILTIRE_STACKADMINPORT", Integer.toString(ORIGINAL_ADMIN_PORT));
        environment.put("AILTIRE_PARENT_NETWORK", familyNetwork(self, key));
        Map<String, String> labels = new LinkedHashMap<>(declared.deploy().labels());
        labels.put(Labels.KIND, Labels.KIND_STACK);
        labels.put(Labels.COMPATIBILITY, Labels.COMPATIBILITY_ORIGINAL);
        Deploy deploy = new Deploy(ServiceDefinition.Mode.REPLICATED, 1, declared.deploy().resources(),
                new ServiceDefinition.RestartPolicy(ServiceDefinition.RestartPolicy.Condition.ON_FAILURE,
                        Duration.ofSeconds(5), null, null),
                controllerPlacement(declared.deploy().placement()), null, null, ServiceDefinition.EndpointMode.DNSRR,
                labels);
        List<VolumeMount> volumes = new ArrayList<>(declared.volumes());
        volumes.add(new VolumeMount(VolumeMount.Type.BIND, settings.dockerSocket(), "/var/run/docker.sock", false));
        return new ServiceDefinition(key, declared.image(), declared.command(), declared.entrypoint(), environment,
                declared.labels(), deploy, declared.ports(), attached, volumes, declared.configs(), declared.secrets(),
                declared.healthcheck(), Duration.ofMinutes(1), "SIGINT", declared.user(), declared.workingDir(),
                declared.hostname(), declared.extraHosts(), declared.options(), declared.extensions());
    }

    /** The registries of every image a child's tree runs: its services' and, to any depth, its children's. */
    private java.util.Set<String> registries(ChildStack child) throws DefinitionException {
        java.util.Set<String> registries = new java.util.TreeSet<>();
        for (ServiceDefinition service : child.loaded().services().values()) {
            String image = service.image() != null ? service.image()
                    : service.ailtire().isChildStack() ? settings.image() : null;
            if (image != null) {
                registries.add(ImageReference.parse(image).registry());
            }
        }
        for (ChildStack grandchild : children(child.place(), child.loaded(), child.files())) {
            registries.addAll(registries(grandchild));
        }
        return registries;
    }

    private ServiceDefinition controller(StackPlace self, ChildStack child, ServiceDefinition declared,
                                         DefinitionPolicy policy, Map<String, ServiceNetwork> networks, List<FileReference> configs,
                                         List<FileReference> secrets) {
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("AILTIRE_APPNAME", self.app());
        environment.put("AILTIRE_STACKNAME", child.key());
        environment.put("AILTIRE_SERVICENAME", child.key());
        environment.put("AILTIRE_STACK_PATH", child.place().path());
        environment.put("AILTIRE_NAMESPACE", child.place().namespace());
        environment.put("AILTIRE_CONTROLLER_SERVICE", child.place().controllerService());
        environment.put("AILTIRE_STACKADMINPORT", Integer.toString(settings.adminPort()));
        environment.put("AILTIRE_STACKGATEWAYPORT", Integer.toString(settings.gatewayPort()));
        if (!self.isRoot()) {
            environment.put("AILTIRE_PARENTHOST", parentAlias(child.key()));
            environment.put("AILTIRE_PARENTPORT", Integer.toString(settings.adminPort()));
        }
        environment.put("AILTIRE_PARENT_NETWORK", child.place().parentNetwork());
        environment.put("AILTIRE_CONTROLLER_IMAGE", settings.image());
        environment.put("AILTIRE_TOKEN_SECRET", settings.tokenSecret());
        environment.put("AILTIRE_ENDPOINT_MODE", settings.endpointMode());
        environment.put("AILTIRE_POLICY", new String(json(policy), StandardCharsets.UTF_8));
        environment.put("AILTIRE_DEFINITION_FILE", ControllerSettings.DEFINITION_FILE);
        environment.put("AILTIRE_ENVIRONMENT_FILE", ControllerSettings.ENVIRONMENT_FILE);
        environment.put("AILTIRE_TOKEN_FILE", ControllerSettings.TOKEN_FILE);
        if (secrets.stream().anyMatch(s -> s.target().equals(ControllerSettings.REGISTRY_AUTH_FILE))) {
            environment.put("AILTIRE_REGISTRY_AUTH_FILE", ControllerSettings.REGISTRY_AUTH_FILE);
        }
        if (secrets.stream().anyMatch(s -> s.target().equals(ControllerSettings.FILES_FILE))) {
            environment.put("AILTIRE_FILES_FILE", ControllerSettings.FILES_FILE);
        }
        if (secrets.stream().anyMatch(s -> s.target().equals(ControllerSettings.TLS_FILE))) {
            environment.put("AILTIRE_TLS_FILE", ControllerSettings.TLS_FILE);
            environment.put("AILTIRE_TLS_PUBLIC_PORT", Integer.toString(topTls.publicPort()));
            if (topTls.redirect()) {
                environment.put("AILTIRE_HTTPS_REDIRECT_PORT", Integer.toString(ControllerSettings.DEFAULT_REDIRECT_PORT));
            }
            topTls.hstsMaxAge().ifPresent(maxAge -> environment.put("AILTIRE_HSTS_MAX_AGE", Long.toString(maxAge)));
            if (topTls.hstsIncludeSubDomains()) {
                environment.put("AILTIRE_HSTS_INCLUDE_SUBDOMAINS", "true");
            }
        }
        if (settings.resolveImage() != ImageResolution.ALWAYS) {
            environment.put("AILTIRE_RESOLVE_IMAGE", settings.resolveImage().wire());
        }
        if (settings.drift() != org.ailtire.swarm.drift.DriftMode.REPAIR) {
            environment.put("AILTIRE_DRIFT", settings.drift().wire());
        }
        if (!settings.consoleFrameAncestors().equals(org.ailtire.view.FrameAncestors.DEFAULT)) {
            environment.put(org.ailtire.view.FrameAncestors.VARIABLE, settings.consoleFrameAncestors());
        }
        if (settings.encryptControlNetworks()) {
            environment.put(ControllerSettings.ENCRYPT_CONTROL_NETWORKS, "true");
        }
        if (!settings.metricsTokenHash().isEmpty()) {
            environment.put(MetricsToken.HASH_VARIABLE, settings.metricsTokenHash());
        }
        Map<String, String> labels = new LinkedHashMap<>(declared.deploy().labels());
        labels.put(Labels.KIND, Labels.KIND_STACK);
        Deploy deploy = new Deploy(ServiceDefinition.Mode.REPLICATED, 1, null,
                new ServiceDefinition.RestartPolicy(ServiceDefinition.RestartPolicy.Condition.ANY, Duration.ofSeconds(1), null, null),
                controllerPlacement(declared.deploy().placement()),
                null, null, ServiceDefinition.EndpointMode.DNSRR, labels);
        String image = declared.image() != null ? declared.image() : settings.image();
        return new ServiceDefinition(child.key(), image, List.of("serve"), null, environment,
                Map.of(Labels.KIND, Labels.KIND_STACK), deploy, declared.ports(), networks,
                List.of(new VolumeMount(VolumeMount.Type.BIND, settings.dockerSocket(), "/var/run/docker.sock", false)),
                configs, secrets,
                null, Duration.ofSeconds(30), null, null, null, null, List.of(), Map.of());
    }

    /**
     * Controllers drive the engine through their node's socket, which only a manager's engine answers for the swarm:
     * they run on managers, and within those where the child's own declared constraints say.
     */
    private static ServiceDefinition.Placement controllerPlacement(ServiceDefinition.Placement declared) {
        List<String> constraints = new java.util.ArrayList<>(List.of(MANAGERS_ONLY));
        if (declared != null) {
            declared.constraints().stream().filter(c -> !c.replace(" ", "").equals(MANAGERS_ONLY))
                    .forEach(constraints::add);
        }
        return new ServiceDefinition.Placement(constraints,
                declared == null ? List.of() : declared.preferences(), null);
    }

    /**
     * A network this stack creates for a child's controller, labelled as this stack's (it removes it too); an
     * encrypted overlay (IPsec between nodes) when the settings say so, since the token crosses it.
     */
    private NetworkDefinition ownedNetwork(String name) {
        Map<String, String> options = settings.encryptControlNetworks() ? Map.of("encrypted", "") : Map.of();
        return new NetworkDefinition("overlay", options, true, false, false, name,
                Map.of(Labels.KIND, "stack-link"));
    }

    private static NetworkDefinition childNetwork(String name, NetworkDefinition declared) {
        return new NetworkDefinition(declared.driver() == null ? "overlay" : declared.driver(), declared.driverOpts(),
                true, declared.internal(), false, name, declared.labels());
    }

    /** The secret with a child's files, within swarm's size for a secret. */
    private static byte[] filesSecret(ChildStack child, StackToken childToken) throws DefinitionException {
        byte[] content = new DefinitionFilesFile(childToken.value()).write(child.files());
        if (content.length > MAX_SECRET_BYTES) {
            throw new DefinitionException(List.of(Problem.error("services." + child.key() + "." + AiltireExtension.KEY + ".stack",
                    "the files the child stack's tree names take " + content.length + " bytes as a swarm secret; swarm "
                            + "allows " + MAX_SECRET_BYTES)));
        }
        return content;
    }

    private static byte[] json(Map<String, String> environment) {
        return json((Object) new java.util.TreeMap<>(environment));
    }

    private static byte[] json(Object value) {
        try {
            return JSON.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
