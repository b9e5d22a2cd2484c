package org.ailtire.swarm.history;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import org.ailtire.definition.DefinitionFiles;
import org.ailtire.stack.DefinitionHistory;
import org.ailtire.stack.DefinitionVersion;
import org.ailtire.stack.ImageResolution;
import org.ailtire.stack.Json;
import org.ailtire.stack.ServiceOverrides;
import org.ailtire.stack.UpdateRequest;
import org.ailtire.swarm.EngineConfigs;
import org.ailtire.swarm.Labels;
import org.ailtire.swarm.topology.StackPlace;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A stack's definition history on the engine: one swarm config per version, holding the definition text as sent
 * (so {@code docker config inspect --pretty} shows it), with who, when, the outcome and the sealed variables in its
 * labels. The files sent with a version (see {@link DefinitionFiles}; secrets among them) are sealed the same way,
 * in a second config ({@code <name>-files}), since they may be larger than labels should be. The configs carry the
 * stack's namespace label, so removing the stack removes its history, and no key label, so an update never prunes
 * them. A restarted controller reads the same history.
 */
public final class ConfigHistory implements DefinitionHistory {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigHistory.class);
    static final String VERSION = "org.ailtire.history.version";
    static final String AT = "org.ailtire.history.at";
    static final String ACTOR = "org.ailtire.history.actor";
    static final String OUTCOME = "org.ailtire.history.outcome";
    static final String MESSAGE = "org.ailtire.history.message";
    static final String GIVEN = "org.ailtire.history.given";
    static final String VARIABLES = "org.ailtire.history.variables";
    /** The services scaled or redeployed with the version (JSON, see {@link ServiceOverrides}); absent when none. */
    static final String OVERRIDES = "org.ailtire.history.overrides";
    /** The images the version ran, pinned to digests, by service key (JSON); absent when none were pinned. */
    static final String IMAGES = "org.ailtire.history.images";
    /** Marks a version that was sent with files, kept in the config {@link #filesConfigName}. */
    static final String FILES = "org.ailtire.history.files";
    static final String KIND_FILES = "definition-files";
    static final int MAX_NAME = 64;
    static final int MAX_MESSAGE = 1000;

    private final DockerClient docker;
    private final StackPlace place;
    private final VariableSeal seal;
    private final String given;
    private final int keep;
    private final Clock clock;

    /**
     * @param given a digest of the definition this controller was started with (recorded with every version)
     * @param keep  how many versions are kept; older ones are removed, never the one applied now
     */
    public ConfigHistory(DockerClient docker, StackPlace place, String token, String given, int keep, Clock clock) {
        if (keep < 1) {
            throw new IllegalArgumentException("the history must keep at least one version, not " + keep);
        }
        this.docker = docker;
        this.place = place;
        this.seal = new VariableSeal(token, place.namespace());
        this.given = given;
        this.keep = keep;
        this.clock = clock;
    }

    @Override
    public List<DefinitionVersion> versions() {
        return stored().stream().map(Stored::version).toList();
    }

    @Override
    public Optional<UpdateRequest> request(int version) {
        return stored().stream().filter(s -> s.version().version() == version).findFirst().map(s -> {
            try {
                VariableSeal.Variables variables = seal.open(s.sealedVariables());
                DefinitionFiles files = s.withFiles() ? files(version) : DefinitionFiles.NONE;
                // Applied again, a service whose image reference is unchanged runs the digest the version ran (or,
                // for a version recorded without its images, the one it runs now).
                return new UpdateRequest(variables.parameters(), variables.environment(), s.version().definition(),
                        variables.registryAuth(), ImageResolution.CHANGED, files, s.overrides(), s.images(), Set.of());
            } catch (VariableSeal.SealBroken e) {
                throw new HistoryException("version " + version + " cannot be applied again: " + e.getMessage()
                        + " (sealed under another token: was the application deployed again with a new token, or was the "
                        + "version recorded before per-stack tokens?)", e);
            }
        });
    }

    @Override
    public synchronized DefinitionVersion record(UpdateRequest request, String actor, DefinitionVersion.Outcome outcome,
                                                 String message) {
        List<Stored> before = stored();
        int number = before.isEmpty() ? 1 : before.get(before.size() - 1).version().version() + 1;
        Instant at = clock.instant();
        String text = message == null ? "" : message;
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(Labels.NAMESPACE, place.namespace());
        labels.put(Labels.MANAGED, "true");
        labels.put(Labels.STACK_PATH, place.path());
        labels.put(Labels.KIND, Labels.KIND_DEFINITION);
        labels.put(VERSION, Integer.toString(number));
        labels.put(AT, at.toString());
        labels.put(ACTOR, actor == null ? "" : actor);
        labels.put(OUTCOME, outcome.name());
        labels.put(MESSAGE, text.length() > MAX_MESSAGE ? text.substring(0, MAX_MESSAGE) + "..." : text);
        labels.put(GIVEN, given);
        labels.put(VARIABLES, seal.seal(new VariableSeal.Variables(request.parameters(), request.environment(),
                request.registryAuth())));
        if (!request.overrides().isEmpty()) {
            labels.put(OVERRIDES, json(request.overrides()));
        }
        if (!request.pins().isEmpty()) {
            labels.put(IMAGES, json(request.pins()));
        }
        boolean withFiles = !request.files().isEmpty();
        if (withFiles) {
            labels.put(FILES, "sealed");
        }
        try {
            if (withFiles) {
                // First the files: a version is never listed without them.
                Map<String, String> filesLabels = new LinkedHashMap<>();
                filesLabels.put(Labels.NAMESPACE, place.namespace());
                filesLabels.put(Labels.MANAGED, "true");
                filesLabels.put(Labels.STACK_PATH, place.path());
                filesLabels.put(Labels.KIND, KIND_FILES);
                filesLabels.put(VERSION, Integer.toString(number));
                removeFiles(number); // left by a version that was never recorded (the controller stopped between)
                docker.createConfigCmd().withName(filesConfigName(place.namespace(), number))
                        .withData(seal.seal(request.files())).withLabels(filesLabels).exec();
            }
            docker.createConfigCmd().withName(configName(place.namespace(), number))
                    .withData(request.definition().getBytes(StandardCharsets.UTF_8)).withLabels(labels).exec();
        } catch (DockerException e) {
            throw new HistoryException("the engine refused to store version " + number + ": " + e.getMessage(), e);
        }
        DefinitionVersion kept = new DefinitionVersion(number, at, labels.get(ACTOR), outcome, labels.get(MESSAGE),
                given, request.definition());
        List<Stored> now = new ArrayList<>(before);
        now.add(new Stored(null, kept, labels.get(VARIABLES), withFiles, request.overrides(), request.pins()));
        dropBeyondKeep(now);
        return kept;
    }

    /** {@code <namespace>_history-v<n>}, or a digest of the namespace when that is longer than swarm allows. */
    static String configName(String namespace, int version) {
        String readable = namespace + "_history-v" + version;
        if (readable.length() <= MAX_NAME) {
            return readable;
        }
        return "ailtire-history-" + sha256(namespace).substring(0, 16) + "-v" + version;
    }

    /** The config holding the sealed files of a version: its history config's name and {@code -files}. */
    static String filesConfigName(String namespace, int version) {
        String readable = namespace + "_history-v" + version + "-files";
        if (readable.length() <= MAX_NAME) {
            return readable;
        }
        return "ailtire-history-" + sha256(namespace).substring(0, 16) + "-v" + version + "-files";
    }

    private DefinitionFiles files(int version) {
        List<EngineConfigs.EngineConfig> found;
        try {
            found = EngineConfigs.withLabels(docker, List.of(Labels.NAMESPACE + "=" + place.namespace(),
                    Labels.KIND + "=" + KIND_FILES, VERSION + "=" + version));
        } catch (DockerException e) {
            throw new HistoryException("the engine did not list the files of version " + version + ": "
                    + e.getMessage(), e);
        }
        if (found.isEmpty()) {
            throw new HistoryException("version " + version + " cannot be applied again: the files sent with it are "
                    + "gone (config " + filesConfigName(place.namespace(), version) + ")", null);
        }
        try {
            return seal.openFiles(found.get(0).data());
        } catch (VariableSeal.SealBroken e) {
            throw new HistoryException("version " + version + " cannot be applied again: " + e.getMessage()
                    + " (sealed under another token: was the application deployed again with a new token, or was the "
                    + "version recorded before per-stack tokens?)", e);
        }
    }

    private void dropBeyondKeep(List<Stored> all) {
        Optional<Integer> current = all.stream().map(Stored::version)
                .filter(v -> v.outcome() == DefinitionVersion.Outcome.APPLIED)
                .map(DefinitionVersion::version).max(Comparator.naturalOrder());
        int excess = all.size() - keep;
        for (Stored old : all) {
            if (excess <= 0) {
                break;
            }
            if (old.id() == null || current.filter(c -> c == old.version().version()).isPresent()) {
                continue;
            }
            try {
                if (old.withFiles()) {
                    removeFiles(old.version().version());
                }
                docker.removeConfigCmd(old.id()).exec();
            } catch (NotFoundException gone) {
                // removed meanwhile
            } catch (DockerException e) {
                LOG.warn("could not remove history version {} of {}: {}", old.version().version(), place.path(),
                        e.getMessage());
            }
            excess--;
        }
    }

    private void removeFiles(int version) {
        EngineConfigs.withLabels(docker, List.of(Labels.NAMESPACE + "=" + place.namespace(),
                        Labels.KIND + "=" + KIND_FILES, VERSION + "=" + version))
                .forEach(config -> {
                    try {
                        docker.removeConfigCmd(config.id()).exec();
                    } catch (NotFoundException gone) {
                        // removed meanwhile
                    }
                });
    }

    private record Stored(String id, DefinitionVersion version, String sealedVariables, boolean withFiles,
                          ServiceOverrides overrides, Map<String, String> images) {
    }

    private static String json(Object value) {
        try {
            return Json.MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value + " as JSON", e);
        }
    }

    private static <T> T fromJson(String text, TypeReference<T> type, T absent) {
        if (text == null || text.isEmpty()) {
            return absent;
        }
        try {
            return Json.MAPPER.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not readable JSON: " + e.getOriginalMessage(), e);
        }
    }

    private List<Stored> stored() {
        List<EngineConfigs.EngineConfig> configs;
        try {
            configs = EngineConfigs.withLabels(docker, List.of(Labels.NAMESPACE + "=" + place.namespace(),
                    Labels.KIND + "=" + Labels.KIND_DEFINITION));
        } catch (DockerException e) {
            throw new HistoryException("the engine did not list the history of " + place.path() + ": "
                    + e.getMessage(), e);
        }
        List<Stored> stored = new ArrayList<>();
        for (EngineConfigs.EngineConfig config : configs) {
            Map<String, String> labels = config.labels();
            try {
                int number = Integer.parseInt(labels.getOrDefault(VERSION, ""));
                stored.add(new Stored(config.id(), new DefinitionVersion(number, Instant.parse(labels.get(AT)),
                        labels.get(ACTOR), DefinitionVersion.Outcome.valueOf(labels.get(OUTCOME)), labels.get(MESSAGE),
                        labels.get(GIVEN), new String(config.data(), StandardCharsets.UTF_8)),
                        labels.getOrDefault(VARIABLES, ""), labels.containsKey(FILES),
                        fromJson(labels.get(OVERRIDES), new TypeReference<>() { }, ServiceOverrides.NONE),
                        fromJson(labels.get(IMAGES), new TypeReference<Map<String, String>>() { }, Map.of())));
            } catch (RuntimeException e) {
                LOG.warn("history config {} of {} is not readable, skipped: {}", config.name(), place.path(),
                        e.toString());
            }
        }
        stored.sort(Comparator.comparingInt(s -> s.version().version()));
        return stored;
    }

    /** A short digest of a definition and its variables as given at start (see {@link DefinitionVersion#given()}). */
    public static String digest(String text) {
        return sha256(text).substring(0, 16);
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
    }
}
