package org.ailtire.policy;

import org.ailtire.definition.DefinitionCheck;
import org.ailtire.definition.NetworkDefinition;
import org.ailtire.definition.Problem;
import org.ailtire.definition.SecretDefinition;
import org.ailtire.definition.ServiceDefinition;
import org.ailtire.definition.ServiceDefinition.VolumeMount;
import org.ailtire.definition.StackDefinition;
import org.ailtire.definition.VolumeDefinition;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks a definition against the policy its stack received, narrowed by the definition's own {@value
 * DefinitionPolicy#KEY}. Each refusal names the key and the deploy setting that would allow it; what no setting allows
 * (the controller's labels, keys and image; host namespaces swarm cannot give) says so.
 */
public final class PolicyCheck implements DefinitionCheck {
    /** What a service may add without the policy: docker's default capability set (adding it back after a drop). */
    static final Set<String> DEFAULT_CAPABILITIES = Set.of("AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID",
            "KILL", "MKNOD", "NET_BIND_SERVICE", "NET_RAW", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT");
    /** Engine sockets on the nodes: whoever has one controls the node (and, on a manager, the swarm). */
    static final List<String> ENGINE_SOCKETS = List.of("/var/run/docker.sock", "/run/docker.sock",
            "/run/containerd/containerd.sock", "/var/run/containerd/containerd.sock");
    /** The controller's own labels: a user's would change how it sees a service (e.g. hide it as a stack). */
    static final String RESERVED_LABELS = "org.ailtire.";
    /** Keys the topology adds to a definition (the token's secret, the child controllers' configs and networks). */
    static final String RESERVED_KEYS = "ailtire-";
    private static final Pattern IGNORED_HOST_KEY = Pattern.compile("services\\.([^.]+)\\.(pid|ipc|network_mode|privileged|devices)");
    private static final String NO_SETTING = "no setting allows it";

    private final DefinitionPolicy received;
    private final Set<String> reservedSecrets;

    /**
     * @param received        the policy this stack was given (at deploy, or by its parent)
     * @param reservedSecrets engine names of secrets no definition may use, e.g. the tree's token
     */
    public PolicyCheck(DefinitionPolicy received, Set<String> reservedSecrets) {
        this.received = received;
        this.reservedSecrets = Set.copyOf(reservedSecrets);
    }

    /** The policy a definition runs under: the received one, narrowed by what the definition declares. */
    public static DefinitionPolicy effective(DefinitionPolicy received, StackDefinition definition) {
        Object declared = definition.extensions().get(DefinitionPolicy.KEY);
        if (declared == null) {
            return received;
        }
        return received.narrowedBy(DefinitionPolicy.read(declared, DefinitionPolicy.KEY, new ArrayList<>()));
    }

    @Override
    public List<Problem> check(StackDefinition definition, List<Problem> warnings) {
        List<Problem> problems = new ArrayList<>();
        Object declaredValue = definition.extensions().get(DefinitionPolicy.KEY);
        if (declaredValue != null) {
            DefinitionPolicy declared = DefinitionPolicy.read(declaredValue, DefinitionPolicy.KEY, problems);
            for (String wider : received.widenedBy(declared)) {
                String key = wider.split(" ", 2)[0];
                problems.add(Problem.error(DefinitionPolicy.KEY, "refused: " + wider + " is not allowed by the "
                        + "policy this stack received (deploy --" + key.replace('_', '-') + wider.substring(key.length())
                        + "); a stack's policy can only narrow its parent's"));
            }
        }
        DefinitionPolicy policy = effective(received, definition);
        for (ServiceDefinition service : definition.services().values()) {
            service(service, "services." + service.name(), policy, problems);
        }
        for (Problem warning : warnings) {
            Matcher ignored = IGNORED_HOST_KEY.matcher(warning.path());
            if (ignored.matches()) {
                problems.add(Problem.error(warning.path(), "refused: " + ignored.group(2) + " asks for the host's "
                        + "namespaces or devices, which a service of this tree never gets (swarm ignores the key); "
                        + NO_SETTING + ", remove it"));
            }
        }
        definition.networks().forEach((key, network) -> network("networks." + key, key, network, policy, problems));
        definition.volumes().forEach((key, volume) -> volume("volumes." + key, key, volume, policy, problems));
        definition.configs().forEach((key, config) -> {
            reservedKey("configs." + key, key, problems);
            labels("configs." + key + ".labels", config.labels(), problems);
        });
        definition.secrets().forEach((key, secret) -> secret("secrets." + key, key, secret, policy, problems));
        return problems;
    }

    private void service(ServiceDefinition service, String path, DefinitionPolicy policy, List<Problem> problems) {
        for (int i = 0; i < service.volumes().size(); i++) {
            VolumeMount mount = service.volumes().get(i);
            if (mount.type() == VolumeMount.Type.BIND) {
                hostPath(mount.source(), path + ".volumes[" + i + "]", "bind mount of the host path", policy, problems);
            }
        }
        List<String> added = service.options().capAdd();
        for (int i = 0; i < added.size(); i++) {
            String capability = DefinitionPolicy.capability(added.get(i));
            if (!DEFAULT_CAPABILITIES.contains(capability) && !policy.capabilities().contains(capability)
                    && !capability.equals("RESET")) {
                problems.add(Problem.error(path + ".cap_add[" + i + "]", "refused: capability " + capability
                        + " is beyond docker's default set; allowed by " + setting("--allow-cap " + capability,
                        DefinitionPolicy.CAP)));
            }
        }
        labels(path + ".labels", service.labels(), problems);
        labels(path + ".deploy.labels", service.deploy().labels(), problems);
        if (service.ailtire().isChildStack() && service.image() != null) {
            problems.add(Problem.error(path + ".image", "refused: a child stack runs the tree's controller image "
                    + "(with the engine's socket and the tree's token); " + NO_SETTING + ", remove it"));
        }
        if (service.ailtire().isOriginalChild() && !policy.dockerSocket()) {
            // The original sidecar drives the engine through the docker CLI: its own image gets the socket.
            problems.add(Problem.error(path + "." + org.ailtire.definition.AiltireExtension.KEY + ".compatibility",
                    "refused: an original child stack runs its own image with the engine's socket (root on the node);"
                            + " allowed by " + setting("--allow-docker-socket", DefinitionPolicy.SOCKET)));
        }
    }

    private static void network(String path, String key, NetworkDefinition network, DefinitionPolicy policy,
                                List<Problem> problems) {
        reservedKey(path, key, problems);
        labels(path + ".labels", network.labels(), problems);
        String engineName = network.name() != null ? network.name() : key;
        boolean host = network.external() ? engineName.equals("host") : "host".equals(network.driver());
        if (host && !policy.hostNetwork()) {
            problems.add(Problem.error(network.external() ? path : path + ".driver", "refused: the host network puts "
                    + "services on the nodes' own network stack; allowed by " + setting("--allow-host-network",
                    DefinitionPolicy.HOST_NETWORK)));
        }
    }

    private static void volume(String path, String key, VolumeDefinition volume, DefinitionPolicy policy,
                               List<Problem> problems) {
        labels(path + ".labels", volume.labels(), problems);
        String device = volume.driverOpts().get("device");
        boolean local = volume.driver() == null || volume.driver().equals("local");
        // A local volume with a device path mounts that host path (o: bind) or host device on every node.
        if (local && device != null && device.startsWith("/")) {
            hostPath(device, path + ".driver_opts.device", "local volume on the host path", policy, problems);
        }
    }

    private void secret(String path, String key, SecretDefinition secret, DefinitionPolicy policy,
                        List<Problem> problems) {
        reservedKey(path, key, problems);
        labels(path + ".labels", secret.content().labels(), problems);
        String engineName = secret.content().name() != null ? secret.content().name() : key;
        if (reservedSecrets.contains(engineName) && (secret.content().external() || secret.content().name() != null)) {
            problems.add(Problem.error(path, "refused: the secret \"" + engineName + "\" is reserved (the tree's "
                    + "token); " + NO_SETTING));
        } else if (secret.content().external() && !policy.secrets().contains(engineName)) {
            problems.add(Problem.error(path, "refused: an existing secret (external) is read by name from the "
                    + "engine; allowed by " + setting("--allow-secret " + engineName, DefinitionPolicy.SECRET)));
        }
    }

    private static void hostPath(String source, String path, String what, DefinitionPolicy policy,
                                 List<Problem> problems) {
        String host = DefinitionPolicy.normalisedPath(source);
        if (ENGINE_SOCKETS.contains(host)) {
            if (!policy.dockerSocket()) {
                problems.add(Problem.error(path, "refused: " + host + " is the engine's socket (root on the node); "
                        + "allowed by " + setting("--allow-docker-socket", DefinitionPolicy.SOCKET)));
            }
            return;
        }
        if (!policy.bindPaths().contains(host)) {
            problems.add(Problem.error(path, "refused: " + what + " " + host + "; allowed by "
                    + setting("--allow-bind " + host, DefinitionPolicy.BIND)));
            return;
        }
        if (!policy.dockerSocket() && ENGINE_SOCKETS.stream().anyMatch(s -> host.equals("/") || s.startsWith(host + "/"))) {
            problems.add(Problem.error(path, "refused: the host path " + host + " holds the engine's socket; allowed "
                    + "by " + setting("--allow-docker-socket", DefinitionPolicy.SOCKET) + " as well"));
        }
    }

    private static void labels(String path, Map<String, String> labels, List<Problem> problems) {
        for (String label : labels.keySet()) {
            if (label.startsWith(RESERVED_LABELS)) {
                problems.add(Problem.error(path + "." + label, "refused: labels " + RESERVED_LABELS
                        + "* are the controller's; " + NO_SETTING));
            }
        }
    }

    private static void reservedKey(String path, String key, List<Problem> problems) {
        if (key.startsWith(RESERVED_KEYS)) {
            problems.add(Problem.error(path, "refused: keys starting with " + RESERVED_KEYS + " are the controller's; "
                    + NO_SETTING));
        }
    }

    /** The deploy flag, and the key of a policy file or of {@code x-ailtire-policy}, that allow something. */
    private static String setting(String flag, String key) {
        return "the tree's policy: deploy " + flag + " (" + key + " in a policy file)";
    }
}
