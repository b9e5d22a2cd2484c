package org.ailtire.stack;

import org.ailtire.definition.DefinitionFiles;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * A new definition for a running stack (the spec's {@code update(parameters, environment, definition)}).
 *
 * @param definition   the Compose YAML text
 * @param registryAuth credentials for the registries of the tree's images (never shown)
 * @param resolveImage whether image references are pinned to digests
 * @param files        the files the definition's levels name ({@code configs.*.file}, {@code secrets.*.file},
 *                     {@code env_file}), sent with it by the CLI; some are secret, so they are never shown
 * @param overrides    services scaled or redeployed without a new definition (see {@link ServiceOverrides})
 * @param pins         the image each service ran, pinned to its digest, when this request was applied (kept in the
 *                     history): applied again, a service whose image reference is unchanged runs that digest again
 *                     instead of asking its registry; empty for a request sent by a client
 * @param refresh      services whose tags are resolved to digests again in this update even when pinned (a
 *                     redeploy, a webhook); not kept in the history
 */
public record UpdateRequest(List<String> parameters, Map<String, String> environment, String definition,
                            RegistryAuth registryAuth, ImageResolution resolveImage, DefinitionFiles files,
                            ServiceOverrides overrides, Map<String, String> pins, Set<String> refresh) {
    public UpdateRequest {
        parameters = parameters == null ? List.of() : List.copyOf(parameters);
        environment = environment == null ? Map.of() : Map.copyOf(environment);
        Objects.requireNonNull(definition, "definition");
        registryAuth = registryAuth == null ? RegistryAuth.NONE : registryAuth;
        resolveImage = resolveImage == null ? ImageResolution.ALWAYS : resolveImage;
        files = files == null ? DefinitionFiles.NONE : files;
        overrides = overrides == null ? ServiceOverrides.NONE : overrides;
        pins = pins == null ? Map.of() : Map.copyOf(new TreeMap<>(pins));
        refresh = refresh == null ? Set.of() : Set.copyOf(refresh);
    }

    /** As a client sends it: no overrides, pins or refresh. */
    public UpdateRequest(List<String> parameters, Map<String, String> environment, String definition,
                         RegistryAuth registryAuth, ImageResolution resolveImage, DefinitionFiles files) {
        this(parameters, environment, definition, registryAuth, resolveImage, files, ServiceOverrides.NONE, Map.of(),
                Set.of());
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
        return new UpdateRequest(parameters, environment, definition, registryAuth, resolution, files, overrides, pins,
                refresh);
    }

    public UpdateRequest withFiles(DefinitionFiles sent) {
        return new UpdateRequest(parameters, environment, definition, registryAuth, resolveImage, sent, overrides, pins,
                refresh);
    }

    public UpdateRequest withOverrides(ServiceOverrides changed) {
        return new UpdateRequest(parameters, environment, definition, registryAuth, resolveImage, files, changed, pins,
                refresh);
    }

    /** The same request, recording the images it was applied with. */
    public UpdateRequest withPins(Map<String, String> applied) {
        return new UpdateRequest(parameters, environment, definition, registryAuth, resolveImage, files, overrides,
                applied, refresh);
    }

    public UpdateRequest withRefresh(Set<String> services) {
        return new UpdateRequest(parameters, environment, definition, registryAuth, resolveImage, files, overrides, pins,
                services);
    }

    /**
     * The same definition, variables, credentials, files, overrides and images (how images are resolved and which
     * were to be refreshed aside): applying it again would run the same.
     */
    public boolean sameInputs(UpdateRequest other) {
        return other != null && withResolveImage(other.resolveImage).withRefresh(other.refresh).equals(other);
    }

    /** Variables and files are not shown: they may carry secrets. */
    @Override
    public String toString() {
        return "UpdateRequest[parameters=" + parameters.size() + ", environment=" + environment.keySet()
                + ", definition=" + definition.length() + " characters, " + registryAuth + ", " + resolveImage + ", "
                + files + ", " + overrides + ", pins=" + pins + ", refresh=" + refresh + "]";
    }
}
