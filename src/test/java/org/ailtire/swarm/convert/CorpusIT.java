package org.ailtire.swarm.convert;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.SecretSpec;
import org.ailtire.definition.DefinitionLoader;
import org.ailtire.definition.LoadedDefinition;
import org.ailtire.definition.Problem;
import org.ailtire.swarm.DockerClients;
import org.ailtire.swarm.apply.ApplyOptions;
import org.ailtire.swarm.apply.StackApplier;
import org.ailtire.swarm.testsupport.TestSwarm;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every file of {@code src/test/resources/compose-corpus} is deployed twice, by {@code docker stack deploy
 * --resolve-image never} and by our loader, converter and applier, each into a namespace of its own; every service,
 * network, config and secret is read back as the engine's raw JSON and compared field by field, after the
 * normalisation {@link EngineSnapshot} documents. The differences left must each be one of {@link #EXPLAINED}, and
 * each of those must still occur. The keys docker warns about ("Ignoring unsupported options") must be warnings of
 * ours too.
 *
 * <p>Ours is converted as on a host with IPVS (virtual IPs, ingress ports by default, as docker's defaults are): this
 * host has no IPVS, so nothing is sent to those VIPs or ingress ports here; the engine accepts them and runs the
 * tasks. Without IPVS ours defaults to dnsrr and host-mode ports instead (NetworkingDefaults, EndpointConversionTest).
 */
@Tag("integration")
class CorpusIT {
    private static final Path CORPUS = Path.of("src/test/resources/compose-corpus");
    private static final int PARALLEL = 3;
    private static final NetworkingDefaults LIKE_DOCKER = new NetworkingDefaults(NetworkingDefaults.EndpointModeSetting.AUTO, true);
    private static final Pattern UNSUPPORTED = Pattern.compile("Ignoring unsupported options: (.+)");
    private static final Pattern DEPRECATED = Pattern.compile("^([a-z_]+): ", Pattern.MULTILINE);

    /** Keys docker warns about although its converter maps them: not a warning of ours. */
    private static final Map<String, String> DOCKER_WARNS_BUT_MAPS = Map.of(
            "restart", "docker lists restart as unsupported, then maps it to the restart policy (convertRestartPolicy);"
                    + " ours maps it the same, without a warning");

    /** A difference ours makes deliberately: the file, the start of the field path, and why. */
    record Explained(String file, String path, String reason) {
    }

    static final List<Explained> EXPLAINED = List.of(
            new Explained("08-hardened.yml", "services.NS_api.TaskTemplate.ContainerSpec.Mounts",
                    "the service key tmpfs: docker's converter never reads ServiceConfig.Tmpfs (the tmpfs mounts are"
                            + " silently lost); ours mounts them, as the Compose specification says"),
            new Explained("05-volumes.yml", "services.NS_files.TaskTemplate.ContainerSpec.Mounts[7].TmpfsOptions.Mode",
                    "tmpfs.mode of a tmpfs volume: docker's converter maps only tmpfs.size; ours passes the mode too"));

    @Test
    void everyFileOfTheCorpusBecomesWhatDockerStackDeployMakes() throws Exception {
        List<Path> files;
        try (Stream<Path> listing = Files.list(CORPUS)) {
            files = listing.filter(p -> p.getFileName().toString().matches("\\d\\d-.*\\.yml")).sorted().toList();
        }
        assertThat(files).hasSizeGreaterThanOrEqualTo(10);
        String external = "it-corpus-ext-" + UUID.randomUUID().toString().substring(0, 6);
        long started = System.nanoTime();
        List<FileResult> results = new ArrayList<>();
        try (DockerClient docker = DockerClients.connect()) {
            try {
                createExternals(docker, external);
                ExecutorService pool = Executors.newFixedThreadPool(PARALLEL);
                try {
                    List<Future<FileResult>> running = new ArrayList<>();
                    for (int i = 0; i < files.size(); i++) {
                        Path file = files.get(i);
                        int index = i + 1;
                        running.add(pool.submit(() -> {
                            try {
                                return compare(file, index, external);
                            } catch (Exception | AssertionError e) {
                                throw new AssertionError(file.getFileName() + ": " + e.getMessage(), e);
                            }
                        }));
                    }
                    // Every file runs to its end (and removes what it made) before a failure is reported:
                    // interrupting one would stop its cleanup half way.
                    List<Throwable> failures = new ArrayList<>();
                    for (Future<FileResult> result : running) {
                        try {
                            results.add(result.get(15, TimeUnit.MINUTES));
                        } catch (java.util.concurrent.ExecutionException e) {
                            failures.add(e.getCause());
                        }
                    }
                    if (!failures.isEmpty()) {
                        AssertionError failed = new AssertionError(failures.size() + " file(s) failed, first: "
                                + failures.getFirst().getMessage(), failures.getFirst());
                        failures.stream().skip(1).forEach(failed::addSuppressed);
                        throw failed;
                    }
                } finally {
                    pool.shutdown();
                    pool.awaitTermination(15, TimeUnit.MINUTES);
                }
            } finally {
                removeExternals(docker, external);
            }
        }
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);

        List<String> unexplained = new ArrayList<>();
        Set<Explained> seen = new java.util.HashSet<>();
        int fields = 0;
        int objects = 0;
        for (FileResult result : results) {
            fields += result.fields;
            objects += result.objects;
            System.out.printf("[corpus] %-28s %3d objects %4d fields %d differences%n", result.file, result.objects,
                    result.fields, result.differences.size());
            for (String difference : result.differences) {
                Explained explanation = EXPLAINED.stream()
                        .filter(e -> e.file().equals(result.file) && difference.startsWith(e.path()))
                        .findFirst().orElse(null);
                if (explanation == null) {
                    unexplained.add(result.file + ": " + difference);
                } else {
                    seen.add(explanation);
                    System.out.println("[corpus]   explained: " + difference + "\n[corpus]     why: " + explanation.reason());
                }
            }
            unexplained.addAll(result.warningGaps.stream().map(g -> result.file + ": " + g).toList());
        }
        System.out.printf("[corpus] %d files, %d objects, %d fields compared, %d unexplained differences, %d explained,"
                + " %d s%n", results.size(), objects, fields, unexplained.size(), seen.size(), seconds);
        assertThat(unexplained).as("differences from docker stack deploy").isEmpty();
        assertThat(seen).as("explanations of differences that no longer occur").containsExactlyInAnyOrderElementsOf(EXPLAINED);
        assertThat(fields).isGreaterThan(500);
    }

    /** One file: deployed by both, read back, compared; both namespaces removed, even on failure. */
    private static FileResult compare(Path file, int index, String external) throws Exception {
        String name = file.getFileName().toString();
        try (TestSwarm cli = TestSwarm.create("cps-cli"); TestSwarm ours = TestSwarm.create("cps-our")) {
            try {
                Map<String, String> cliVariables = variables(index, 0, cli.namespace());
                Map<String, String> ourVariables = variables(index, 1, ours.namespace());
                String output = dockerStackDeploy(file, cli.namespace(), cliVariables, external);

                Map<String, String> loadVariables = new LinkedHashMap<>(ourVariables);
                loadVariables.put("EXTERNAL", external);
                LoadedDefinition loaded = new DefinitionLoader(file.getParent().toAbsolutePath())
                        .load(Files.readString(file), loadVariables);
                Conversion conversion = new StackConverter(new ConvertOptions("/it/corpus", LIKE_DOCKER))
                        .convert(ours.namespace(), loaded.definition());
                new StackApplier(ours.docker(), ApplyOptions.DEFAULT.withConvergenceTimeout(Duration.ofMinutes(4))
                        .withStabilityWindow(Duration.ofSeconds(1))).apply(conversion.resources(), event -> { });

                Map<String, String> contentAddressed = new LinkedHashMap<>();
                Stream.concat(conversion.resources().configs().stream(), conversion.resources().secrets().stream())
                        .filter(f -> !f.external())
                        .forEach(f -> contentAddressed.put(f.name(), f.name().substring(0,
                                f.name().length() - EngineNames.CONTENT_HASH_LENGTH - 1)));
                EngineSnapshot theirs = EngineSnapshot.read(cli.docker(), cli.namespace(), Map.of(), uniqueOnes(cliVariables));
                EngineSnapshot mine = EngineSnapshot.read(ours.docker(), ours.namespace(), contentAddressed,
                        uniqueOnes(ourVariables));

                FileResult result = new FileResult(name);
                Set<String> keys = new TreeSet<>(theirs.objects.keySet());
                keys.addAll(mine.objects.keySet());
                for (String key : keys) {
                    result.objects++;
                    JsonNode a = mine.objects.get(key);
                    JsonNode b = theirs.objects.get(key);
                    if (a == null || b == null) {
                        result.differences.add(key + ": only " + (a == null ? "docker's" : "ours"));
                    } else {
                        result.compare(key, a, b);
                    }
                }
                List<Problem> warnings = new ArrayList<>(loaded.warnings());
                warnings.addAll(conversion.warnings());
                result.warningGaps.addAll(warningGaps(output, warnings));
                return result;
            } finally {
                cli.removeAll();
                ours.removeAll();
                assertThat(cli.leftovers()).as(name + ", docker's side").isEmpty();
                assertThat(ours.leftovers()).as(name + ", our side").isEmpty();
            }
        }
    }

    /**
     * What must differ between the two deployments of file {@code index}: published ports, a fixed subnet and
     * names that must be unique on the engine. EXTERNAL, the prefix of the test's external objects, is the same
     * for both.
     */
    private static Map<String, String> variables(int index, int side, String namespace) {
        int port = 39_100 + side * 500 + index * 10;
        Map<String, String> variables = new LinkedHashMap<>();
        variables.put("HTTP_PORT", String.valueOf(port));
        variables.put("HTTPS_PORT", String.valueOf(port + 1));
        variables.put("ADMIN_PORT", String.valueOf(port + 2));
        variables.put("BROKER_PORT", String.valueOf(port + 3));
        variables.put("SUBNET", "10." + (210 + side) + "." + index + ".0/24");
        variables.put("UNIQUE", namespace);
        return variables;
    }

    /** The namespace is normalised anyway; the other variables by value. */
    private static Map<String, String> uniqueOnes(Map<String, String> variables) {
        Map<String, String> result = new LinkedHashMap<>(variables);
        result.remove("UNIQUE");
        return result;
    }

    private static String dockerStackDeploy(Path file, String namespace, Map<String, String> variables,
                                            String external) throws Exception {
        ProcessBuilder builder = new ProcessBuilder("docker", "stack", "deploy", "--resolve-image", "never",
                "--detach=true", "-c", file.toAbsolutePath().toString(), namespace).redirectErrorStream(true);
        builder.environment().putAll(variables);
        builder.environment().put("EXTERNAL", external);
        Process deploy = builder.start();
        String output = new String(deploy.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(deploy.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(deploy.exitValue()).as(output).isZero();
        return output;
    }

    /** Keys docker reports as unsupported or deprecated that ours does not warn about. */
    private static List<String> warningGaps(String dockerOutput, List<Problem> ourWarnings) {
        Set<String> keys = new TreeSet<>();
        Matcher unsupported = UNSUPPORTED.matcher(dockerOutput);
        if (unsupported.find()) {
            for (String key : unsupported.group(1).split(",")) {
                keys.add(key.trim());
            }
        }
        int deprecated = dockerOutput.indexOf("Ignoring deprecated options:");
        if (deprecated >= 0) {
            Matcher key = DEPRECATED.matcher(dockerOutput.substring(deprecated));
            while (key.find()) {
                keys.add(key.group(1));
            }
        }
        keys.removeAll(DOCKER_WARNS_BUT_MAPS.keySet());
        List<String> gaps = new ArrayList<>();
        for (String key : keys) {
            boolean warned = ourWarnings.stream().anyMatch(w -> w.severity() == Problem.Severity.WARNING
                    && w.path().endsWith("." + key));
            if (!warned) {
                gaps.add("docker ignores " + key + " with a warning, ours without one");
            }
        }
        return gaps;
    }

    /** The objects the corpus refers to as external, created once for all files and both sides. */
    private static void createExternals(DockerClient docker, String prefix) {
        Map<String, String> labels = Map.of("org.ailtire.it", "corpus");
        docker.createNetworkCmd().withName(prefix + "_edge").withDriver("overlay").withAttachable(true)
                .withLabels(labels).exec();
        docker.createConfigCmd().withName(prefix + "_ca").withData("ca\n".getBytes(StandardCharsets.UTF_8))
                .withLabels(labels).exec();
        docker.createSecretCmd(new SecretSpec().withName(prefix + "_token").withData("token\n").withLabels(labels)).exec();
        docker.createVolumeCmd().withName(prefix + "_shared").withLabels(labels).exec();
    }

    private static void removeExternals(DockerClient docker, String prefix) {
        List<Runnable> removals = List.of(
                () -> docker.removeNetworkCmd(prefix + "_edge").exec(),
                () -> docker.removeConfigCmd(prefix + "_ca").exec(),
                () -> docker.listSecretsCmd().withNameFilter(List.of(prefix + "_token")).exec()
                        .forEach(s -> docker.removeSecretCmd(s.getId()).exec()),
                () -> docker.removeVolumeCmd(prefix + "_shared").exec());
        for (Runnable removal : removals) {
            try {
                removal.run();
            } catch (com.github.dockerjava.api.exception.NotFoundException ignored) {
                // not created
            } catch (RuntimeException e) {
                // reported, not thrown: it would hide the failure that brought the test here
                System.err.println("[corpus] cleanup of the external objects: " + e.getMessage());
            }
        }
    }

    /** The comparison of one file: objects and fields compared, and every difference as a readable line. */
    static final class FileResult {
        final String file;
        final List<String> differences = new ArrayList<>();
        final List<String> warningGaps = new ArrayList<>();
        int objects;
        int fields;

        FileResult(String file) {
            this.file = file;
        }

        void compare(String path, JsonNode mine, JsonNode theirs) {
            if (mine.isObject() && theirs.isObject()) {
                Set<String> names = new TreeSet<>();
                mine.fieldNames().forEachRemaining(names::add);
                theirs.fieldNames().forEachRemaining(names::add);
                for (String name : names) {
                    compare(path + "." + name, mine.path(name), theirs.path(name));
                }
            } else if (mine.isArray() && theirs.isArray() && mine.size() == theirs.size()) {
                for (int i = 0; i < mine.size(); i++) {
                    compare(path + "[" + i + "]", mine.get(i), theirs.get(i));
                }
            } else {
                fields++;
                if (!mine.equals(theirs)) {
                    differences.add(path + ": ours " + describe(mine) + ", docker's " + describe(theirs));
                }
            }
        }

        private static String describe(JsonNode node) {
            return node.isMissingNode() ? "(absent)" : node.toString();
        }
    }
}
