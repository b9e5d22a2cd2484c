package org.ailtire.cli;

import org.ailtire.protocol.ControlPlaneException;
import org.ailtire.protocol.ControlPlaneClient;
import org.ailtire.controller.Deployer;
import org.ailtire.dataplane.Hsts;
import org.ailtire.definition.DefinitionBundler;
import org.ailtire.definition.DefinitionException;
import org.ailtire.stack.Aggregate;
import org.ailtire.stack.RegistryAuth;
import org.ailtire.stack.Status;
import org.ailtire.swarm.DockerClients;
import org.ailtire.swarm.apply.ApplyException;
import org.ailtire.swarm.apply.ApplyOptions;
import org.ailtire.swarm.topology.ControllerSettings;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code deploy}: the equivalent of {@code ailtire app deploy}. Runs the top controller (socket mounted, its gateway
 * and admin ports published on this host), which deploys the whole tree; waits until every stack of the tree reports
 * healthy and prints the application's URL and the console's. The context file records the admin URL.
 */
@Command(name = "deploy", mixinStandardHelpOptions = true,
        description = {"Deploy an application: its top stack's controller, which deploys the tree of stacks.",
                "Waits until every stack is healthy, then prints the application's URL and the console's (the admin",
                "port). The admin URL and the token are kept in ~/.ailtire/APP.json."})
public final class DeployCommand implements Callable<Integer> {
    @Option(names = {"-f", "--file"}, required = true, paramLabel = "FILE",
            description = "The top stack's definition (child stacks may name their own files, next to it).")
    Path file;

    @Option(names = "--app", paramLabel = "NAME", description = "The application's name (default: the file's directory name).")
    String app;

    @Option(names = {"-e", "--env"}, paramLabel = "KEY=VALUE", description = "An environment variable for the top definition.")
    List<String> environment = new ArrayList<>();

    @Option(names = "--port", defaultValue = "" + ControllerSettings.DEFAULT_GATEWAY_PORT,
            description = "Host port of the application: the top stack's gateway (default ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--admin-port", defaultValue = "" + ControllerSettings.DEFAULT_ADMIN_PORT,
            description = "Host port of the top controller's control plane and console (default ${DEFAULT-VALUE}).")
    int adminPort;

    @Option(names = "--tls-cert", paramLabel = "FILE", description = "PEM certificate (the server's, then its chain):"
            + " the application's port serves HTTPS (HTTP/2 and HTTP/1.1). Needs --tls-key.")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "FILE", description = "PEM private key (PKCS#8, unencrypted) of --tls-cert.")
    Path tlsKey;

    @Option(names = "--https-redirect", description = "With TLS: also serve plain HTTP on --http-port, answering every"
            + " request with a redirect to https (301 for GET and HEAD, else 308).")
    boolean httpsRedirect;

    @Option(names = "--http-port", defaultValue = "80", description = "Host port of the redirect to https"
            + " (with --https-redirect; default ${DEFAULT-VALUE}).")
    int httpPort;

    @Option(names = "--hsts-max-age", paramLabel = "SECONDS", description = "With TLS: every HTTPS answer of the"
            + " application's port carries Strict-Transport-Security: max-age=SECONDS, so browsers that saw it use only"
            + " HTTPS for that host for that long (0 makes them forget it). Off by default: it pins browsers to HTTPS.")
    Long hstsMaxAge;

    @Option(names = "--hsts-include-subdomains", description = "With --hsts-max-age: the header also covers every"
            + " subdomain of the host (includeSubDomains).")
    boolean hstsIncludeSubdomains;

    @Option(names = "--public-host", paramLabel = "HOST", description = "The host name or address users reach the "
            + "top controller at (default: the address of the swarm manager the deploy goes through).")
    String publicHost;

    @Option(names = "--image", defaultValue = ControllerSettings.DEFAULT_IMAGE, description = "Controller image (default ${DEFAULT-VALUE}).")
    String image;

    @Option(names = "--drift", paramLabel = "MODE", description = "What the tree's controllers do when their "
            + "stack's objects are changed behind their back: repair (default) or report (default: $AILTIRE_DRIFT, "
            + "else repair).")
    String drift;

    @Option(names = "--console-frame-ancestors", paramLabel = "SOURCES", description = "Who may embed the "
            + "consoles of the tree in a frame: CSP source expressions separated by spaces, e.g. \"'self' "
            + "https://portal.example.com\" (default: $AILTIRE_CONSOLE_FRAME_ANCESTORS, else 'self').")
    String consoleFrameAncestors;

    @Option(names = "--encrypt-control-networks", description = "Create the overlay networks between the tree's "
            + "controllers, which the token crosses, encrypted (IPsec between nodes: the nodes' kernels need xfrm and "
            + "esp, and ESP must pass between them) (default: $AILTIRE_ENCRYPT_CONTROL_NETWORKS, else false). "
            + "Networks that exist already stay as they were created.")
    boolean encryptControlNetworks;

    @Option(names = "--metrics-token-file", paramLabel = "FILE", description = "A token (16 characters at least) "
            + "that opens every controller's /metrics and nothing else, for a Prometheus server (default: "
            + "$" + METRICS_TOKEN_VARIABLE + "; without either, /metrics takes the application's token only). "
            + "The controllers are given its SHA-256 only.")
    Path metricsTokenFile;

    @Option(names = "--timeout", defaultValue = "PT5M", description = "How long to wait for the tree (ISO-8601, default ${DEFAULT-VALUE}).")
    Duration timeout;

    @CommandLine.Mixin
    RegistryAuthOptions registryAuth = new RegistryAuthOptions();

    @CommandLine.Mixin
    PolicyOptions policy = new PolicyOptions();

    @Spec
    CommandLine.Model.CommandSpec spec;

    /** The variable that may hold the metrics token instead of --metrics-token-file. */
    static final String METRICS_TOKEN_VARIABLE = "AILTIRE_METRICS_TOKEN";

    private final CliEnvironment env;

    public DeployCommand(CliEnvironment env) {
        this.env = env;
    }

    /** The metrics token, from --metrics-token-file or else $AILTIRE_METRICS_TOKEN; empty for none. */
    private java.util.Optional<String> metricsToken(Map<String, String> environment) {
        if (metricsTokenFile == null) {
            return java.util.Optional.ofNullable(environment.get(METRICS_TOKEN_VARIABLE)).filter(t -> !t.isBlank());
        }
        try {
            return java.util.Optional.of(java.nio.file.Files.readString(metricsTokenFile).strip());
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("cannot be read: " + e.getMessage());
        }
    }

    @Override
    public Integer call() throws Exception {
        String name = app != null ? app : file.toAbsolutePath().getParent().getFileName().toString();
        Map<String, String> variables;
        try {
            variables = Assignments.parse(environment, env.env());
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        if (publicHost != null && !publicHost.matches("[A-Za-z0-9.-]+|\\[[0-9A-Fa-f:.]+]")) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--public-host: expected a host name or an address, got \"" + publicHost + "\"");
        }
        if (port == adminPort) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--admin-port: the console and the control"
                    + " plane need a port of their own, not the application's --port " + port);
        }
        java.util.Optional<Deployer.Https> https = https();
        Map<String, String> hostEnvironment = new java.util.HashMap<>(env.env());
        if (drift != null) {
            hostEnvironment.put("AILTIRE_DRIFT", drift);
        }
        try {
            String mode = hostEnvironment.getOrDefault("AILTIRE_DRIFT", "").strip();
            org.ailtire.swarm.drift.DriftMode.parse(mode.isEmpty() ? "repair" : mode);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    (drift != null ? "--drift: " : "AILTIRE_DRIFT: ") + e.getMessage());
        }
        try {
            if (consoleFrameAncestors != null) {
                hostEnvironment.put(org.ailtire.view.FrameAncestors.VARIABLE,
                        org.ailtire.view.FrameAncestors.parse(consoleFrameAncestors));
            }
            org.ailtire.controller.ControllerConfig.consoleFrameAncestors(hostEnvironment);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    (consoleFrameAncestors != null ? "--console-frame-ancestors: " : "") + e.getMessage());
        }
        if (encryptControlNetworks) {
            hostEnvironment.put(org.ailtire.swarm.topology.ControllerSettings.ENCRYPT_CONTROL_NETWORKS, "true");
        }
        try {
            org.ailtire.controller.ControllerConfig.encryptControlNetworks(hostEnvironment);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        try {
            metricsToken(hostEnvironment).ifPresent(token ->
                    hostEnvironment.put(org.ailtire.metrics.MetricsToken.HASH_VARIABLE,
                            org.ailtire.metrics.MetricsToken.hashOf(token)));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    (metricsTokenFile != null ? "--metrics-token-file " + metricsTokenFile + ": "
                            : METRICS_TOKEN_VARIABLE + ": ") + e.getMessage());
        }
        try {
            hostEnvironment.put("AILTIRE_POLICY", org.ailtire.stack.Json.MAPPER.writeValueAsString(policy.policy()));
        } catch (IllegalArgumentException | java.io.IOException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        java.util.Optional<ControllerContext> context = env.contexts().read(name);
        String known = context.map(ControllerContext::token).orElse(null);
        // A running top gateway with TLS gets a new certificate through its API, not a restart (see handOver).
        boolean handOver = https.isPresent() && context.isPresent() && servesTls(context.get().client(), name);
        if (handOver) {
            https = java.util.Optional.of(new Deployer.Https(https.get().certificate(), https.get().httpPort(),
                    https.get().hsts(), true));
        }
        Deployer.Deployed deployed;
        try (var docker = DockerClients.connect(env.env())) {
            // Child stacks named by file travel inline; the files every level names travel with them.
            DefinitionBundler.Bundle bundle = DefinitionBundler.bundleWithFiles(file);
            String definition = bundle.definition();
            RegistryAuth auth;
            try {
                auth = registryAuth.collect(definition, bundle.files(), variables, List.of(), env, List.of(image));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
            deployed = new Deployer(docker, ApplyOptions.DEFAULT).deploy(name, definition, bundle.files(), variables,
                    port, adminPort, image, known, hostEnvironment, auth, registryAuth.resolveImage(), https,
                    event -> env.out().println("  " + event));
        } catch (DefinitionException e) {
            env.err().println("deploy: the definition cannot be used:");
            e.problems().forEach(p -> env.err().println("  " + p));
            return Main.FAILED;
        } catch (ApplyException e) {
            env.err().println("deploy: " + e.getMessage());
            return Main.FAILED;
        }
        String scheme = https.isPresent() ? "https://" : "http://";
        String host = scheme + (publicHost != null ? publicHost : deployed.host()) + ":";
        URI url = URI.create(host + deployed.port());
        URI adminUrl = URI.create("http://" + host.substring(scheme.length()) + deployed.adminPort());
        env.contexts().write(ControllerContext.deployed(name, adminUrl, url, deployed.token()));
        ControlPlaneClient client = new ControlPlaneClient(adminUrl, deployed.token());
        if (handOver && !handOver(client, https.get().certificate())) {
            return Main.FAILED;
        }
        env.out().println("waiting for " + deployed.stacks() + " stacks to report healthy");
        Status status = awaitTree(client, deployed.stacks());
        if (status == null) {
            env.err().println("deploy: the tree did not become healthy within " + timeout.toSeconds()
                    + "s; see `ailtire-swarm status --app " + name + "`");
            return Main.FAILED;
        }
        env.out().println("application " + name + " is up: " + url + "/");
        env.out().println("  console: " + adminUrl + "/_ailtire/ (the admin port: control plane and console)");
        env.out().println("  status:  ailtire-swarm status --app " + name);
        return Main.OK;
    }

    /**
     * Whether the application's top gateway answers now and serves TLS: then the deploy keeps the certificate secret
     * its controller mounts (so a certificate change alone does not restart it) and hands the new one over afterwards.
     * A top that does not answer gets the certificate with the deploy, which restarts it, as on the first deploy.
     */
    private boolean servesTls(ControlPlaneClient client, String name) {
        try {
            client.tls();
            return true;
        } catch (ControlPlaneException e) {
            return false; // 404: the top gateway serves plain HTTP
        } catch (java.io.IOException e) {
            env.out().println("  the top controller of " + name + " does not answer (" + e.getMessage()
                    + "): the certificate goes with the deploy (a new secret: the top controller restarts)");
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Hands the deploy's certificate to the top gateway the way {@code tls} does ({@code PUT /api/v1/tls}: swapped in
     * the running HAProxy and kept for restarts), unless it serves that one already; waits for a top controller that
     * the deploy restarted for other changes.
     */
    private boolean handOver(ControlPlaneClient client, org.ailtire.tls.TlsCertificate certificate)
            throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            try {
                if (certificate.fingerprint().equals(client.tls().path("fingerprint").asText())) {
                    return true;
                }
                var served = client.replaceTls(java.nio.file.Files.readString(tlsCert, StandardCharsets.US_ASCII),
                        java.nio.file.Files.readString(tlsKey, StandardCharsets.US_ASCII));
                env.out().println("  certificate " + TerminalText.clean(served.path("subject").asText())
                        + " handed to the top gateway: served without a restart");
                return true;
            } catch (ControlPlaneException e) {
                env.err().println("deploy: certificate not handed to the top gateway (the previous one still serves): "
                        + TerminalText.clean(e.error() + (e.details().isEmpty() ? "" : ": "
                        + String.join("; ", e.details()))) + "; the rest was deployed");
                return false;
            } catch (java.io.IOException e) {
                if (Instant.now().isAfter(deadline)) {
                    env.err().println("deploy: certificate not handed to the top gateway within " + timeout.toSeconds()
                            + "s (" + e.getMessage() + "); the rest was deployed: give it with `ailtire-swarm tls`");
                    return false;
                }
                Thread.sleep(500); // the top controller is restarting for other changes
            }
        }
    }

    /** The certificate and key, read and checked here: a wrong file deploys nothing. */
    private java.util.Optional<Deployer.Https> https() {
        if (hstsIncludeSubdomains && hstsMaxAge == null) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--hsts-include-subdomains: needs --hsts-max-age");
        }
        if (tlsCert == null && tlsKey == null) {
            if (httpsRedirect) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "--https-redirect: needs TLS (--tls-cert and --tls-key)");
            }
            if (hstsMaxAge != null) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--hsts-max-age: needs TLS (--tls-cert"
                        + " and --tls-key): browsers take Strict-Transport-Security only from HTTPS answers");
            }
            return java.util.Optional.empty();
        }
        java.util.Optional<Hsts> hsts;
        try {
            hsts = java.util.Optional.ofNullable(hstsMaxAge).map(maxAge -> new Hsts(maxAge, hstsIncludeSubdomains));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--hsts-" + e.getMessage());
        }
        if (tlsCert == null || tlsKey == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), tlsCert == null
                    ? "--tls-key: needs its certificate (--tls-cert)" : "--tls-cert: needs its private key (--tls-key)");
        }
        if (httpsRedirect && (httpPort < 1 || httpPort > 65535 || httpPort == port || httpPort == adminPort)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--http-port: expected a port of its own"
                    + " (1-65535, not --port " + port + " or --admin-port " + adminPort + "), got " + httpPort);
        }
        try {
            return java.util.Optional.of(new Deployer.Https(org.ailtire.tls.TlsCertificate.read(tlsCert, tlsKey),
                    httpsRedirect ? httpPort : 0, hsts, false));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    private Status awaitTree(ControlPlaneClient client, int stacks) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            try {
                Status status = client.status();
                // At least: an original child stack's own children are not known before it runs them.
                if (status.aggregate() == Aggregate.HEALTHY && countStacks(status) >= stacks && settled(status)) {
                    return status;
                }
            } catch (Exception notYet) {
                // the top controller is still starting
            }
            Thread.sleep(500);
        }
        return null;
    }

    /** No stack of the tree is still applying its definition. */
    private static boolean settled(Status status) {
        return status.type() != Status.Type.STACK
                || status.state() == Status.State.RUNNING && status.children().stream().allMatch(DeployCommand::settled);
    }

    private static int countStacks(Status status) {
        int count = status.type() == Status.Type.STACK ? 1 : 0;
        for (Status child : status.children()) {
            count += countStacks(child);
        }
        return count;
    }
}
