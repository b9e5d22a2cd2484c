package org.ailtire.swarm.convert;

import com.github.dockerjava.api.model.ContainerSpecConfig;
import com.github.dockerjava.api.model.ContainerSpecFile;
import com.github.dockerjava.api.model.ContainerSpecSecret;
import org.ailtire.definition.ConfigDefinition;
import org.ailtire.definition.SecretDefinition;
import org.ailtire.definition.ServiceDefinition.FileReference;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Configs and secrets: the objects to create (content-addressed, see {@link EngineNames#contentAddressed}) and the
 * references services make to them.
 *
 * <p>References carry the object's <em>name</em> only ({@code ConfigName}/{@code SecretName}; the ID stays null),
 * because IDs exist only once the objects are created. The applier fills {@code ConfigID}/{@code SecretId} by looking
 * each name up after creating configs and secrets, before it creates or updates the service; the spec hash is
 * computed without IDs, so it does not change when the applier fills them.
 */
final class FileObjectConverter {
    static final String UID = "0";
    static final String GID = "0";
    static final long DEFAULT_MODE = 0444;

    private final EngineNames names;
    private final StackLabels labels;
    private final Problems problems;
    private final Map<String, FileResource> configs = new LinkedHashMap<>();
    private final Map<String, FileResource> secrets = new LinkedHashMap<>();
    /** Declared objects already reported as broken; references to them are not reported again. */
    private final java.util.Set<String> broken = new java.util.HashSet<>();

    FileObjectConverter(EngineNames names, StackLabels labels, Problems problems) {
        this.names = names;
        this.labels = labels;
        this.problems = problems;
    }

    void convertConfigs(Map<String, ConfigDefinition> definitions) {
        definitions.forEach((key, definition) -> {
            FileResource resource = convert("configs", key, definition);
            if (resource != null) {
                configs.put(key, resource);
            }
        });
    }

    void convertSecrets(Map<String, SecretDefinition> definitions) {
        definitions.forEach((key, definition) -> {
            FileResource resource = convert("secrets", key, definition.content());
            if (resource != null) {
                secrets.put(key, resource);
            }
        });
    }

    /** The engine name of the top-level config {@code key}, null when it is not declared. */
    String configName(String key) {
        FileResource config = configs.get(key);
        return config == null ? null : config.name();
    }

    List<FileResource> configs() {
        return List.copyOf(configs.values());
    }

    List<FileResource> secrets() {
        return List.copyOf(secrets.values());
    }

    /** A service's config references, sorted by name like the docker CLI (order changes no restart). */
    List<ContainerSpecConfig> configReferences(String servicePath, List<FileReference> references) {
        List<ContainerSpecConfig> result = new ArrayList<>();
        for (int i = 0; i < references.size(); i++) {
            FileReference reference = references.get(i);
            FileResource config = resolve(configs, "config", servicePath + ".configs[" + i + "]", reference);
            if (config != null) {
                // Like docker: the source is the default target; the engine places a relative one at the root.
                String target = reference.target() != null ? reference.target() : reference.source();
                result.add(new ContainerSpecConfig().withConfigName(config.name()).withFile(file(target, reference)));
            }
        }
        result.sort(Comparator.comparing(ContainerSpecConfig::getConfigName));
        return result;
    }

    /** A service's secret references, sorted by name like the docker CLI. */
    List<ContainerSpecSecret> secretReferences(String servicePath, List<FileReference> references) {
        List<ContainerSpecSecret> result = new ArrayList<>();
        for (int i = 0; i < references.size(); i++) {
            FileReference reference = references.get(i);
            FileResource secret = resolve(secrets, "secret", servicePath + ".secrets[" + i + "]", reference);
            if (secret != null) {
                // Like docker: the source is the default target; the engine puts a relative one under /run/secrets/.
                String target = reference.target() != null ? reference.target() : reference.source();
                result.add(new ContainerSpecSecret().withSecretName(secret.name()).withFile(file(target, reference)));
            }
        }
        result.sort(Comparator.comparing(ContainerSpecSecret::getSecretName));
        return result;
    }

    private FileResource convert(String section, String key, ConfigDefinition definition) {
        if (definition.external()) {
            String name = definition.name() != null ? definition.name() : key;
            return new FileResource(name, key, true, null, Map.of());
        }
        byte[] data = definition.data();
        if (data == null) {
            broken.add(section + "." + key);
            problems.error(section + "." + key, "has no content: set file, content or environment, or external: true");
            return null;
        }
        String base = definition.name() != null ? definition.name() : names.scoped(key);
        // The template driver changes what tasks see: it is part of the content address too.
        byte[] addressed = definition.templateDriver() == null ? data
                : concat((definition.templateDriver() + "\0").getBytes(java.nio.charset.StandardCharsets.UTF_8), data);
        return new FileResource(EngineNames.contentAddressed(base, addressed), key, false, data,
                labels.forObject(key, definition.labels()), definition.templateDriver());
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    private FileResource resolve(Map<String, FileResource> declared, String kind, String path, FileReference reference) {
        FileResource resource = declared.get(reference.source());
        if (resource == null && !broken.contains(kind + "s." + reference.source())) {
            problems.error(path, "undefined " + kind + " \"" + reference.source() + "\": declare it under the top-level "
                    + kind + "s");
        }
        return resource;
    }

    private static ContainerSpecFile file(String target, FileReference reference) {
        return new ContainerSpecFile()
                .withName(target)
                .withUid(reference.uid() != null ? reference.uid() : UID)
                .withGid(reference.gid() != null ? reference.gid() : GID)
                .withMode(reference.mode() != null ? reference.mode().longValue() : DEFAULT_MODE);
    }
}
