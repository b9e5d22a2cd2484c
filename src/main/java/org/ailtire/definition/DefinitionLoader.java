package org.ailtire.definition;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.regex.Pattern;

/**
 * Loads a Compose file, as far as {@code docker stack deploy} supports it, into a {@link StackDefinition}: YAML 1.2
 * with anchors and merge keys, {@code ${VAR}} interpolation, then validation that reports every problem at once,
 * each with its dotted path.
 */
public final class DefinitionLoader {
    public static final int MAX_DEFINITION_BYTES = 1024 * 1024;
    /**
     * How many characters of values a definition may hold once aliases are expanded, and again once interpolated:
     * four times the largest definition, so only repetition (of an anchored value, of a large variable) meets it.
     */
    public static final long MAX_EXPANDED_CHARS = 4L * MAX_DEFINITION_BYTES;
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]*");
    private static final Set<String> KEYS = Set.of("version", "name", "services", "networks", "volumes", "configs",
            "secrets");

    private final FileAccess files;
    private final DefinitionCheck check;

    /**
     * @param baseDirectory resolves {@code env_file} and {@code file:} of configs and secrets; null means the
     *                      definition came over the network, and any file reference is refused (never read). When
     *                      set, a reference leading outside it ({@code ..}, absolute paths, symbolic links) is refused.
     */
    public DefinitionLoader(Path baseDirectory) {
        this(new FileAccess(baseDirectory), DefinitionCheck.NONE);
    }

    /**
     * A definition received over the network: its file references are read from the files sent with it (its own at
     * {@code ""}, see {@link DefinitionFiles}); any other reference is refused.
     */
    public static DefinitionLoader withFiles(DefinitionFiles sent) {
        return new DefinitionLoader(new FileAccess(sent));
    }

    private DefinitionLoader(FileAccess files) {
        this(files, DefinitionCheck.NONE);
    }

    private DefinitionLoader(FileAccess files, DefinitionCheck check) {
        this.files = files;
        this.check = check;
    }

    /** This loader, refusing what {@code check} finds in a definition that loaded (e.g. the tree's policy). */
    public DefinitionLoader withCheck(DefinitionCheck check) {
        return new DefinitionLoader(files, check);
    }

    /** @param variables what {@code ${VAR}} reads: the environment merged with parameters, see {@link Parameters} */
    public LoadedDefinition load(String yaml, Map<String, String> variables) throws DefinitionException {
        Map<String, Object> tree = new YamlReader(MAX_DEFINITION_BYTES).read(yaml);
        Problems problems = new Problems();
        new Interpolation(variables, problems, MAX_EXPANDED_CHARS).applyToDefinition(tree);
        Fields top = Fields.of(tree, "", problems);
        top.checkKeys(KEYS, Map.of(), true);
        String name = top.string("name");
        if (name != null && !NAME.matcher(name).matches()) {
            top.error("name", "invalid name \"" + name + "\": must match " + NAME.pattern());
        }
        TopLevelReader reader = new TopLevelReader(files, variables);
        Map<String, NetworkDefinition> networks = entries(top, "networks", (key, entry) -> reader.network(entry));
        Map<String, VolumeDefinition> volumes = entries(top, "volumes", (key, entry) -> reader.volume(entry));
        Map<String, ConfigDefinition> configs = entries(top, "configs", (key, entry) -> reader.config(entry));
        Map<String, SecretDefinition> secrets = entries(top, "secrets", (key, entry) -> reader.secret(entry));
        StackNames declared = new StackNames(networks.keySet(), volumes.keySet(), configs.keySet(), secrets.keySet());
        ServiceReader services = new ServiceReader(declared, files, variables, problems);
        Map<String, ServiceDefinition> serviceDefinitions = entries(top, "services", services::read);
        AiltireExtensionReader.checkRoutePaths(serviceDefinitions, problems);
        Object declaredServices = top.get("services");
        if (declaredServices == null || declaredServices instanceof Map<?, ?> map && map.isEmpty()) {
            top.error("services", "required: at least one service");
        }
        // Like the docker CLI: services without networks join "default", which exists without being declared.
        if (serviceDefinitions.values().stream().anyMatch(s -> s.networks().containsKey(StackNames.DEFAULT_NETWORK))) {
            networks.putIfAbsent(StackNames.DEFAULT_NETWORK, NetworkDefinition.DEFAULT);
        }
        problems.throwIfErrors();
        StackDefinition definition = new StackDefinition(serviceDefinitions, networks, volumes, configs, secrets,
                top.extensions());
        check.check(definition, problems.warnings()).forEach(p -> problems.error(p.path(), p.message()));
        problems.throwIfErrors();
        return new LoadedDefinition(definition, problems.warnings(), name);
    }

    /** A top-level section: a mapping from valid names to entries; a null entry reads as an empty mapping. */
    private static <T> Map<String, T> entries(Fields top, String section, BiFunction<String, Fields, T> read) {
        Map<String, T> result = new LinkedHashMap<>();
        Fields entries = top.fields(section);
        for (String name : entries.keys()) {
            if (!NAME.matcher(name).matches()) {
                entries.error(name, "invalid name: must match " + NAME.pattern());
                continue;
            }
            T entry = read.apply(name, entries.fields(name));
            result.put(name, entry);
        }
        return result;
    }
}
