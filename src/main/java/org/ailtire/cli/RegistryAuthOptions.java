package org.ailtire.cli;

import org.ailtire.definition.DefinitionException;
import org.ailtire.definition.DefinitionFiles;
import org.ailtire.definition.DefinitionLoader;
import org.ailtire.definition.Parameters;
import org.ailtire.definition.ServiceDefinition;
import org.ailtire.definition.StackDefinition;
import org.ailtire.stack.ImageResolution;
import org.ailtire.stack.RegistryAuth;
import org.ailtire.stack.RegistryCredential;
import org.ailtire.swarm.registry.ImageReference;
import org.ailtire.swarm.topology.ControllerSettings;
import org.ailtire.swarm.topology.StackPlace;
import org.ailtire.swarm.topology.Topology;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * {@code --registry-auth} and {@code --resolve-image} of {@code deploy} and {@code update}. The credentials sent are
 * those for the registries the tree's images come from (child stacks included): from the docker CLI's config file,
 * or given with {@code --registry-auth REGISTRY=USER:FILE}, where FILE holds the password ({@code -} reads it from
 * standard input), so no password is ever on a command line.
 */
public final class RegistryAuthOptions {
    @Option(names = "--registry-auth", paramLabel = "REGISTRY=USER:FILE",
            description = {"Credentials for a registry of the definition's images: the password is read from FILE "
                    + "(- for standard input). Without it, the docker CLI's config file (docker login) is used."})
    List<String> given = new ArrayList<>();

    @Option(names = "--resolve-image", paramLabel = "WHEN", defaultValue = "always",
            converter = ResolutionConverter.class,
            description = "Pin images to digests: always (default), changed (new or changed image references), never.")
    ImageResolution resolveImage = ImageResolution.ALWAYS;

    static final class ResolutionConverter implements picocli.CommandLine.ITypeConverter<ImageResolution> {
        @Override
        public ImageResolution convert(String value) {
            return ImageResolution.parse(value);
        }
    }

    public ImageResolution resolveImage() {
        return resolveImage;
    }

    /**
     * The credentials to send for this definition tree and these other images (the controller image at deploy);
     * warnings (skipped credential helpers) go to {@code err}.
     *
     * @throws IllegalArgumentException for a malformed {@code --registry-auth} (the message shows no password)
     */
    public RegistryAuth collect(String definition, Map<String, String> variables, List<String> parameters,
                                CliEnvironment env, List<String> otherImages)
            throws IOException {
        return collect(definition, DefinitionFiles.NONE, variables, parameters, env, otherImages);
    }

    /** @param files the files the tree's definitions name (a definition with some does not load without them) */
    public RegistryAuth collect(String definition, DefinitionFiles files, Map<String, String> variables,
                                List<String> parameters, CliEnvironment env, List<String> otherImages)
            throws IOException {
        Map<String, RegistryCredential> credentials = new TreeMap<>();
        DockerConfigAuth docker = DockerConfigAuth.read(DockerConfigAuth.file(env.env(), env.home()));
        Set<String> wanted = registries(definition, files, variables, parameters);
        otherImages.forEach(image -> wanted.add(ImageReference.parse(image).registry()));
        credentials.putAll(docker.registries());
        for (String option : given) {
            parse(option, env, credentials);
        }
        if (wanted.stream().anyMatch(r -> !credentials.containsKey(r))) {
            docker.warnings().forEach(w -> env.err().println("warning: " + w));
        }
        return new RegistryAuth(credentials).only(wanted);
    }

    private static void parse(String option, CliEnvironment env, Map<String, RegistryCredential> into)
            throws IOException {
        int equals = option.indexOf('=');
        int colon = equals < 0 ? -1 : option.indexOf(':', equals);
        if (equals <= 0 || colon <= equals + 1 || colon == option.length() - 1) {
            throw new IllegalArgumentException("--registry-auth " + option.substring(0, Math.max(equals, 0))
                    + "...: expected REGISTRY=USER:FILE (FILE holds the password; - reads it from standard input)");
        }
        String registry = ImageReference.normalizeHost(option.substring(0, equals));
        String user = option.substring(equals + 1, colon);
        String file = option.substring(colon + 1);
        String password = file.equals("-") ? env.in().readLine() : Files.readString(Path.of(file));
        if (password == null || password.strip().isEmpty()) {
            throw new IllegalArgumentException("--registry-auth " + registry + ": no password in "
                    + (file.equals("-") ? "standard input" : file));
        }
        into.put(registry, new RegistryCredential(user, password.strip()));
    }

    /** The registries of every image of the tree; a definition that does not load sends none (the stack says why). */
    static Set<String> registries(String definition, Map<String, String> variables, List<String> parameters) {
        return registries(definition, DefinitionFiles.NONE, variables, parameters);
    }

    static Set<String> registries(String definition, DefinitionFiles files, Map<String, String> variables,
                                  List<String> parameters) {
        Set<String> registries = new TreeSet<>();
        try {
            StackDefinition top = DefinitionLoader.withFiles(files).load(definition, Parameters.variables(variables, parameters))
                    .definition();
            collect(StackPlace.root("cli").child("cli"), top, files, registries);
        } catch (DefinitionException | RuntimeException unusable) {
            return registries;
        }
        return registries;
    }

    private static void collect(StackPlace place, StackDefinition definition, DefinitionFiles files, Set<String> into)
            throws DefinitionException {
        for (ServiceDefinition service : definition.services().values()) {
            String image = service.image() != null ? service.image()
                    : service.ailtire().isChildStack() ? ControllerSettings.DEFAULT_IMAGE : null;
            if (image != null) {
                into.add(ImageReference.parse(image).registry());
            }
        }
        for (var child : new Topology(null).children(place, definition, files)) {
            collect(child.place(), child.loaded(), child.files(), into);
        }
    }
}
