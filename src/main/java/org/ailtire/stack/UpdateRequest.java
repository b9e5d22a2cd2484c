package org.ailtire.stack;

import org.ailtire.definition.DefinitionFiles;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A new definition for a running stack (the spec's {@code update(parameters, environment, definition)}).
 *
 * @param definition   the Compose YAML text
 * @param registryAuth credentials for the registries of the tree's images (never shown)
 * @param resolveImage whether image references are pinned to digests
 * @param files        the files the definition's levels name ({@code configs.*.file}, {@code secrets.*.file},
 *                     {@code env_file}), sent with it by the CLI; some are secret, so they are never shown
 */
public record UpdateRequest(List<String> parameters, Map<String, String> environment, String definition,
                            RegistryAuth registryAuth, ImageResolution resolveImage, DefinitionFiles files) {
    public UpdateRequest {
        parameters = parameters == null ? List.of() : List.copyOf(parameters);
        environment = environment == null ? Map.of() : Map.copyOf(environment);
        Objects.requireNonNull(definition, "definition");
        registryAuth = registryAuth == null ? RegistryAuth.NONE : registryAuth;
        resolveImage = resolveImage == null ? ImageResolution.ALWAYS : resolveImage;
        files = files == null ? DefinitionFiles.NONE : files;
    }

    /** Without files. */
    public UpdateRequest(List<String> parameters, Map<String, String> environment, String definition,
                         RegistryAuth registryAuth, ImageResolution resolveImage) {
        this(parameters, environment, definition, registryAuth, resolveImage, DefinitionFiles.NONE);
    }

    /** Without registry credentials or files, images pinned always. */
    public UpdateRequest(List<String> parameters, Map<String, String> environment, String definition) {
        this(parameters, environment, definition, RegistryAuth.NONE, ImageResolution.ALWAYS);
    }

    public UpdateRequest withResolveImage(ImageResolution resolution) {
        return new UpdateRequest(parameters, environment, definition, registryAuth, resolution, files);
    }

    public UpdateRequest withFiles(DefinitionFiles sent) {
        return new UpdateRequest(parameters, environment, definition, registryAuth, resolveImage, sent);
    }

    /** The same definition, variables, credentials and files (how images are resolved aside). */
    public boolean sameInputs(UpdateRequest other) {
        return other != null && withResolveImage(other.resolveImage).equals(other);
    }

    /** Variables and files are not shown: they may carry secrets. */
    @Override
    public String toString() {
        return "UpdateRequest[parameters=" + parameters.size() + ", environment=" + environment.keySet()
                + ", definition=" + definition.length() + " characters, " + registryAuth + ", " + resolveImage + ", "
                + files + "]";
    }
}
