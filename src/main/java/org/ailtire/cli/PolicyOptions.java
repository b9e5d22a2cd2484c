package org.ailtire.cli;

import org.ailtire.definition.DefinitionException;
import org.ailtire.policy.DefinitionPolicy;
import org.ailtire.policy.PolicyFile;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The tree's definition policy, given at deploy: deny by default; these flags, and a policy file, allow what they
 * name (both together allow what either does).
 */
final class PolicyOptions {
    @Option(names = "--allow-bind", paramLabel = "PATH", description = "Allow bind mounts (and local volumes) of "
            + "exactly this host path; repeatable.")
    List<String> bindPaths = new ArrayList<>();

    @Option(names = "--allow-docker-socket", description = "Allow mounting the engine's socket (root on the node).")
    boolean dockerSocket;

    @Option(names = "--allow-host-network", description = "Allow services on the swarm's host network.")
    boolean hostNetwork;

    @Option(names = "--allow-cap", paramLabel = "CAP", description = "Allow cap_add of this capability beyond "
            + "docker's default set, e.g. NET_ADMIN; repeatable.")
    List<String> capabilities = new ArrayList<>();

    @Option(names = "--allow-secret", paramLabel = "NAME", description = "Allow using this existing secret "
            + "(external: true) by its engine name; repeatable.")
    List<String> secrets = new ArrayList<>();

    @Option(names = "--policy-file", paramLabel = "FILE", description = "A YAML or JSON file with allow_bind, "
            + "allow_docker_socket, allow_host_network, allow_cap and allow_secret.")
    Path file;

    /** @throws IllegalArgumentException naming the flag or the file's key that is wrong */
    DefinitionPolicy policy() throws IOException {
        DefinitionPolicy fromFile = DefinitionPolicy.DENY;
        if (file != null) {
            try {
                fromFile = PolicyFile.read(file);
            } catch (DefinitionException e) {
                throw new IllegalArgumentException("--policy-file: " + e.problems().stream()
                        .map(Object::toString).collect(java.util.stream.Collectors.joining("; ")));
            }
        }
        List<org.ailtire.definition.Problem> problems = new ArrayList<>();
        java.util.Map<String, Object> flags = new java.util.LinkedHashMap<>();
        flags.put("allow_bind", bindPaths);
        flags.put("allow_cap", capabilities);
        flags.put("allow_secret", secrets);
        DefinitionPolicy fromFlags = DefinitionPolicy.read(flags, "", problems);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(problems.stream()
                    .map(p -> "--" + p.path().replaceAll("\\[\\d+]$", "").replace('_', '-') + ": " + p.message())
                    .collect(java.util.stream.Collectors.joining("; ")));
        }
        return fromFile.union(new DefinitionPolicy(fromFlags.bindPaths(), dockerSocket, hostNetwork,
                fromFlags.capabilities(), fromFlags.secrets()));
    }
}
