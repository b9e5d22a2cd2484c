package org.ailtire.controller;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.SecretSpec;
import org.ailtire.dataplane.Hsts;
import org.ailtire.definition.AiltireExtension;
import org.ailtire.definition.DefinitionException;
import org.ailtire.definition.DefinitionFiles;
import org.ailtire.definition.ServiceDefinition;
import org.ailtire.definition.StackDefinition;
import org.ailtire.stack.ImageResolution;
import org.ailtire.stack.RegistryAuth;
import org.ailtire.stack.StackToken;
import org.ailtire.swarm.Labels;
import org.ailtire.swarm.apply.ApplyEvent;
import org.ailtire.swarm.apply.ApplyException;
import org.ailtire.swarm.apply.ApplyOptions;
import org.ailtire.swarm.apply.StackApplier;
import org.ailtire.swarm.convert.ConvertOptions;
import org.ailtire.swarm.convert.NetworkingDefaults;
import org.ailtire.swarm.convert.StackConverter;
import org.ailtire.swarm.registry.EngineDistribution;
import org.ailtire.swarm.registry.ImageReference;
import org.ailtire.swarm.registry.Resolution;
import org.ailtire.swarm.topology.ControllerSettings;
import org.ailtire.swarm.topology.StackPlace;
import org.ailtire.swarm.topology.TopTls;
import org.ailtire.swarm.topology.Topology;
import org.ailtire.tls.TlsCertificate;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Deploys an application's top stack: the root of the tree (the equivalent of {@code ailtire app deploy}) holds the
 * top controller, with the engine socket mounted and its two ports (gateway and admin) published on the host, the
 * tree's token as a secret (and, with {@link Https}, its certificate and key as another: the top gateway terminates
 * TLS), and the networks the top controller joins. The root is applied exactly like a parent applies a child stack.
 */
public final class Deployer {
    private final DockerClient docker;
    private final StackApplier applier;

    public Deployer(DockerClient docker, ApplyOptions options) {
        this.docker = docker;
        this.applier = new StackApplier(docker, options);
    }

    /**
     * A deployed application: where its top controller answers (the address of the manager it runs on): its gateway
     * on {@code port}, its control plane and console on {@code adminPort}; and its token.
     */
    public record Deployed(String app, String host, int port, int adminPort, String token, int stacks) {
    }

    /**
     * @param token the application's token when it is already deployed (an update of the top definition), else null
     *              to make one
     */
    public Deployed deploy(String app, String definition, Map<String, String> environment, int port, int adminPort,
                           String image, String token, Map<String, String> hostEnvironment,
                           Consumer<ApplyEvent> progress) throws DefinitionException, ApplyException {
        return deploy(app, definition, environment, port, adminPort, image, token, hostEnvironment, RegistryAuth.NONE,
                ImageResolution.ALWAYS, progress);
    }

    /**
     * @param port         the host port of the application (the top gateway)
     * @param adminPort    the host port of the top control plane and console; not {@code port}
     * @param auth         credentials for the registries of the tree's images; the top controller gets them as a
     *                     secret and uses them for every service, handing each child stack its own part
     * @param resolveImage how the tree pins its images to digests
     * @param hostEnvironment the deploying process's environment: its {@code AILTIRE_DRIFT} is the tree's
     */
    public Deployed deploy(String app, String definition, Map<String, String> environment, int port, int adminPort,
                           String image, String token, Map<String, String> hostEnvironment, RegistryAuth auth,
                           ImageResolution resolveImage, Consumer<ApplyEvent> progress)
            throws DefinitionException, ApplyException {
        return deploy(app, definition, DefinitionFiles.NONE, environment, port, adminPort, image, token,
                hostEnvironment, auth, resolveImage, progress);
    }

    /**
     * @param files the files the tree's definitions name (see {@link DefinitionFiles}); the top controller gets them
     *              as a secret, and hands each child stack its own part
     */
    public Deployed deploy(String app, String definition, DefinitionFiles files, Map<String, String> environment,
                           int port, int adminPort, String image, String token, Map<String, String> hostEnvironment,
                           RegistryAuth auth, ImageResolution resolveImage, Consumer<ApplyEvent> progress)
            throws DefinitionException, ApplyException {
        return deploy(app, definition, files, environment, port, adminPort, image, token, hostEnvironment, auth,
                resolveImage, Optional.empty(), progress);
    }

    /**
     * HTTPS at the top gateway: {@code port} serves TLS with the certificate, HTTP/2 and HTTP/1.1.
     *
     * @param httpPort     a host port of plain HTTP redirecting every request to https (0: none)
     * @param hsts         the Strict-Transport-Security header on the gateway's HTTPS answers, when asked for
     * @param keepMounted  keep the certificate secret the running top controller mounts, when it has one, instead of
     *                     a new one of {@code certificate}: the caller hands the certificate to the top gateway through
     *                     its API (no restart), and a restarted top serves it as the latest given over the mounted one
     */
    public record Https(TlsCertificate certificate, int httpPort, Optional<Hsts> hsts, boolean keepMounted) {
        public Https {
            java.util.Objects.requireNonNull(certificate, "certificate");
            java.util.Objects.requireNonNull(hsts, "hsts");
        }

        public Https(TlsCertificate certificate, int httpPort) {
            this(certificate, httpPort, Optional.empty(), false);
        }
    }

    /** @param https the top gateway's TLS, when it has it */
    public Deployed deploy(String app, String definition, DefinitionFiles files, Map<String, String> environment,
                           int port, int adminPort, String image, String token, Map<String, String> hostEnvironment,
                           RegistryAuth auth, ImageResolution resolveImage, Optional<Https> https,
                           Consumer<ApplyEvent> progress)
            throws DefinitionException, ApplyException {
        if (https.isPresent() && https.get().httpPort() != 0
                && (https.get().httpPort() == port || https.get().httpPort() == adminPort)) {
            throw new IllegalArgumentException("the redirecting HTTP port " + https.get().httpPort()
                    + " needs a port of its own, not the application's or the admin port");
        }
        DefinitionFiles rootFiles = files.isEmpty() ? DefinitionFiles.NONE : files.under(app);
        StackPlace root = StackPlace.root(app);
        String secretName = root.namespace() + "_token";
        NetworkingDefaults networking = NetworkingDefaults.detect(hostEnvironment);
        SwarmNode here = thisNode();
        String controllerImage = pinnedControllerImage(root, app, image, auth, resolveImage, progress);
        if (port == adminPort) {
            throw new IllegalArgumentException("the application and the admin port are both " + port
                    + "; the console and the control plane need a port of their own");
        }
        ControllerSettings settings = new ControllerSettings(controllerImage, ControllerSettings.DEFAULT_ADMIN_PORT,
                ControllerSettings.DEFAULT_GATEWAY_PORT, secretName,
                networking.endpointMode().name().toLowerCase(java.util.Locale.ROOT), "/var/run/docker.sock", resolveImage,
                ControllerConfig.drift(hostEnvironment), ControllerConfig.policy(hostEnvironment),
                ControllerConfig.consoleFrameAncestors(hostEnvironment),
                ControllerConfig.encryptControlNetworks(hostEnvironment))
                .withMetricsTokenHash(ControllerConfig.metricsTokenHash(hostEnvironment));
        // The top's ports are published on the node that runs it (host mode: no routing mesh without IPVS), so it runs
        // on the manager this deploy talks to, and the URLs printed stay that manager's address.
        ServiceDefinition.Deploy pinned = new ServiceDefinition.Deploy(null, null, null, null,
                new ServiceDefinition.Placement(List.of("node.id==" + here.id()), List.of(), null), null, null, null,
                Map.of());
        List<ServiceDefinition.Port> published = new java.util.ArrayList<>(List.of(
                new ServiceDefinition.Port(ControllerSettings.DEFAULT_GATEWAY_PORT, port,
                        ServiceDefinition.Port.Protocol.TCP, ServiceDefinition.Port.PublishMode.HOST),
                new ServiceDefinition.Port(ControllerSettings.DEFAULT_ADMIN_PORT, adminPort,
                        ServiceDefinition.Port.Protocol.TCP, ServiceDefinition.Port.PublishMode.HOST)));
        if (https.isPresent() && https.get().httpPort() != 0) {
            published.add(new ServiceDefinition.Port(ControllerSettings.DEFAULT_REDIRECT_PORT, https.get().httpPort(),
                    ServiceDefinition.Port.Protocol.TCP, ServiceDefinition.Port.PublishMode.HOST));
        }
        ServiceDefinition top = new ServiceDefinition(app, null, null, null, environment, Map.of(), pinned,
                List.copyOf(published),
                Map.of(), List.of(), List.of(), List.of(), null, null, null, null, null, null, List.of(),
                ServiceDefinition.ContainerOptions.NONE, Map.of(), AiltireExtension.childStack(app, definition));
        StackDefinition rootDefinition = new StackDefinition(Map.of(app, top), Map.of(), Map.of(), Map.of(), Map.of(), Map.of());
        // The whole tree is checked before the token exists (the files' secrets too: only their size counts here).
        Topology topology = new Topology(settings, StackToken.of("no token yet: checking the tree"));
        topology.expand(root, rootDefinition, RegistryAuth.NONE, rootFiles);
        boolean firstDeploy = token == null;
        String actualToken = ensureToken(root, secretName, token);
        try {
            Topology withToken = new Topology(settings, StackToken.of(actualToken));
            Optional<String> mounted = https.filter(Https::keepMounted).flatMap(h -> mountedCertificate(root, app));
            Topology.Expanded expanded = https.map(h -> withToken.withTopTls(new TopTls(h.certificate().pem(), port,
                    h.httpPort() != 0, h.hsts().map(Hsts::maxAge), h.hsts().map(Hsts::includeSubDomains).orElse(false),
                    mounted))).orElse(withToken).expand(root, rootDefinition, auth, rootFiles);
            var resources = new StackConverter(new ConvertOptions(root.path(), networking))
                    .convert(root.namespace(), expanded.definition()).resources();
            applier.apply(resources, auth, progress);
        } catch (ApplyException | DefinitionException e) {
            if (firstDeploy) {
                // The application never ran: take its token away too, so a corrected deploy can start afresh.
                removeSecret(secretName);
            }
            throw e;
        }
        return new Deployed(app, here.address(), port, adminPort, actualToken,
                countStacks(topology, root, rootDefinition, rootFiles));
    }

    private record SwarmNode(String id, String address) {
    }

    /**
     * The controller image pinned to its digest, as the tree's images are: every controller of the tree, on any
     * node, then runs the same image (children inherit it). With {@code changed}, the digest the top controller runs
     * now is kept while the reference is the same.
     */
    private String pinnedControllerImage(StackPlace root, String app, String image, RegistryAuth auth,
                                         ImageResolution mode, Consumer<ApplyEvent> progress) throws ApplyException {
        ImageReference reference = ImageReference.parse(image);
        if (mode == ImageResolution.NEVER || reference.pinned()) {
            return image;
        }
        if (mode == ImageResolution.CHANGED) {
            Optional<String> running = runningImage(root.namespace() + "_" + app)
                    .filter(now -> ImageReference.parse(now).unpinned().equals(image));
            if (running.isPresent()) {
                return running.get();
            }
        }
        return switch (new EngineDistribution(docker).resolve(reference, auth.forRegistry(reference.registry()))) {
            case Resolution.Digest d -> reference.pinnedTo(d.digest());
            case Resolution.Unresolved u -> {
                progress.accept(new ApplyEvent(ApplyEvent.Phase.PLAN, "controller image " + image,
                        "not pinned to a digest: " + u.reason()));
                yield image;
            }
            case Resolution.Refused r -> throw new ApplyException("controller image " + image + ": " + r.reason()
                    + "; nothing was applied", true, null);
        };
    }

    /** The name of the certificate secret the top controller's service mounts now, if it has one. */
    private Optional<String> mountedCertificate(StackPlace root, String app) {
        return serviceNamed(root.namespace() + "_" + app).stream()
                .flatMap(s -> Optional.ofNullable(s.getSpec().getTaskTemplate().getContainerSpec().getSecrets())
                        .orElse(List.of()).stream())
                .filter(secret -> secret.getFile() != null
                        && ControllerSettings.TLS_FILE.equals(secret.getFile().getName()))
                .map(com.github.dockerjava.api.model.ContainerSpecSecret::getSecretName)
                .findFirst();
    }

    private Optional<String> runningImage(String serviceName) {
        return serviceNamed(serviceName).map(s -> s.getSpec().getTaskTemplate().getContainerSpec().getImage());
    }

    /** The service of exactly that name (the engine's name filter also matches prefixes). */
    private Optional<com.github.dockerjava.api.model.Service> serviceNamed(String serviceName) {
        return docker.listServicesCmd().withNameFilter(List.of(serviceName)).exec().stream()
                .filter(s -> s.getSpec().getName().equals(serviceName)).findFirst();
    }

    /** The swarm node of the engine this deploy talks to; it must be a manager. */
    private SwarmNode thisNode() throws ApplyException {
        var swarm = docker.infoCmd().exec().getSwarm();
        if (swarm == null || swarm.getNodeID() == null || swarm.getNodeID().isEmpty()) {
            throw new ApplyException("the engine at " + engineName() + " is not part of a swarm "
                    + "(docker swarm init, or point DOCKER_HOST at a manager)", true, null);
        }
        if (!Boolean.TRUE.equals(swarm.getControlAvailable())) {
            throw new ApplyException("the engine at " + engineName() + " is a swarm worker; deploy through a manager "
                    + "(point DOCKER_HOST at one)", true, null);
        }
        String address = swarm.getNodeAddr() == null || swarm.getNodeAddr().isBlank() ? "127.0.0.1" : swarm.getNodeAddr();
        return new SwarmNode(swarm.getNodeID(), address);
    }

    private static String engineName() {
        String host = System.getenv("DOCKER_HOST");
        return host == null || host.isBlank() ? "unix:///var/run/docker.sock" : host;
    }

    /** Removes what the root holds and anything the tree left behind (after the top stack shut down). */
    public List<String> remove(String app, Consumer<ApplyEvent> progress) throws ApplyException {
        StackPlace root = StackPlace.root(app);
        StackPlace top = root.child(app);
        List<String> leftBehind = new java.util.ArrayList<>(applier.removeBelow(top.path(), progress));
        applier.remove(top.namespace(), progress);
        applier.remove(root.namespace(), progress);
        return leftBehind;
    }

    /** How many stacks the tree has, at every depth (the top stack included). */
    private static int countStacks(Topology topology, StackPlace place, StackDefinition definition,
                                   DefinitionFiles files) throws DefinitionException {
        // An original child stack counts once: what it runs below is its own definition's, not known here.
        int count = (int) definition.services().values().stream().filter(s -> s.ailtire().isOriginalChild()).count();
        for (var child : topology.children(place, definition, files)) {
            count += 1 + countStacks(topology, child.place(), child.loaded(), child.files());
        }
        return count;
    }

    private void removeSecret(String name) {
        docker.listSecretsCmd().withNameFilter(List.of(name)).exec().stream()
                .filter(s -> s.getSpec().getName().equals(name))
                .forEach(s -> docker.removeSecretCmd(s.getId()).exec());
    }

    private String ensureToken(StackPlace root, String secretName, String known) throws ApplyException {
        boolean exists = docker.listSecretsCmd().withNameFilter(List.of(secretName)).exec().stream()
                .anyMatch(s -> s.getSpec().getName().equals(secretName));
        if (exists) {
            if (known == null) {
                throw new ApplyException("application " + root.app() + " is already deployed and its token is not known "
                        + "here (it is in ~/.ailtire/" + root.app() + ".json on the machine that deployed it)", true, null);
            }
            return known;
        }
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        String token = HexFormat.of().formatHex(random);
        docker.createSecretCmd(new SecretSpec().withName(secretName)
                .withData(token) // docker-java base64-encodes it
                .withLabels(Map.of(Labels.NAMESPACE, root.namespace(), Labels.MANAGED, "true",
                        Labels.STACK_PATH, root.path()))).exec();
        return token;
    }
}
