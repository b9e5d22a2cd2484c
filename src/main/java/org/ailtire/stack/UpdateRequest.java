package org.ailtire.stack;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A new definition for a running stack (the spec's {@code update(parameters, environment, definition)}).
 *
 * @param definition   the Compose YAML text
 * @param registryAuth credentials for the registries of the tree's images (never shown)
 * @param resolveImage whether image references are pinned to digests
 */
public record UpdateRequest(List<String> parameters, Map<String, String> environment, String definition,
                            RegistryAuth registryAuth, ImageResolution resolveImage) {
    public UpdateRequest {
        parameters = parameters == null ? List.of() : List.copyOf(parameters);
        environment = environment == null ? Map.of() : Map.copyOf(environment);
        Objects.requireNonNull(definition, "definition");
        registryAuth = registryAuth == null ? RegistryAuth.NONE : registryAuth;
        resolveImage = resolveImage == null ? ImageResolution.ALWAYS : resolveImage;
    }

    /** Without registry credentials, images pinned always. */
    public UpdateRequest(List<String> parameters, Map<String, String> environment, String definition) {
        this(parameters, environment, definition, RegistryAuth.NONE, ImageResolution.ALWAYS);
    }

    public UpdateRequest withResolveImage(ImageResolution resolution) {
        return new UpdateRequest(parameters, environment, definition, registryAuth, resolution);
    }

    /** The same definition, variables and credentials (how images are resolved aside). */
    public boolean sameInputs(UpdateRequest other) {
        return other != null && withResolveImage(other.resolveImage).equals(other);
    }
}
