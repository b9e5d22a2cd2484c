package org.ailtire.swarm.registry;

import org.ailtire.definition.ServiceDefinition;
import org.ailtire.definition.StackDefinition;
import org.ailtire.stack.ImageResolution;
import org.ailtire.stack.RegistryAuth;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Pins the images of a definition to digests before it is converted, the way {@code docker stack deploy
 * --resolve-image} does, so every node runs the same image and a moved tag shows as a changed service.
 */
public final class ImagePinner {
    private final Distribution distribution;

    public ImagePinner(Distribution distribution) {
        this.distribution = distribution;
    }

    /** The definition with its images pinned, and why some were not. */
    public record Pinned(StackDefinition definition, List<String> warnings) {
        public Pinned {
            warnings = List.copyOf(warnings);
        }
    }

    /** A registry refused an image: the update must not go on. */
    public static final class RefusedImage extends Exception {
        public RefusedImage(String message) {
            super(message);
        }
    }

    /** Without kept pins or refreshed services. */
    public Pinned pin(StackDefinition definition, ImageResolution mode, RegistryAuth auth, Map<String, String> running)
            throws RefusedImage {
        return pin(definition, mode, auth, running, Map.of(), Set.of());
    }

    /**
     * @param running the image each service of the stack runs now, by service key (for {@code changed})
     * @param pins    the images a kept version ran, by service key: a service whose reference is unchanged runs its
     *                digest again, whatever the mode, unless it is refreshed
     * @param refresh services whose tags are asked of their registries again, whatever the pins (unless the mode is
     *                {@code never}: then the tag is handed to swarm as written)
     * @throws RefusedImage naming every image a registry refused and why
     */
    public Pinned pin(StackDefinition definition, ImageResolution mode, RegistryAuth auth, Map<String, String> running,
                      Map<String, String> pins, Set<String> refresh) throws RefusedImage {
        Map<String, Resolution> asked = new LinkedHashMap<>();
        Map<String, ServiceDefinition> services = new LinkedHashMap<>();
        List<String> warnings = new ArrayList<>();
        List<String> refusals = new ArrayList<>();
        for (ServiceDefinition service : definition.services().values()) {
            String image = service.image();
            if (image == null || ImageReference.parse(image).pinned()) {
                services.put(service.name(), service);
                continue;
            }
            String kept = refresh.contains(service.name()) ? null : pins.get(service.name());
            String now = running.get(service.name());
            if (kept != null && sameReference(kept, image)) {
                services.put(service.name(), service.withImage(kept));
                continue;
            }
            if (mode == ImageResolution.NEVER) {
                services.put(service.name(), service);
                continue;
            }
            if (mode == ImageResolution.CHANGED && !refresh.contains(service.name()) && now != null
                    && sameReference(now, image)) {
                services.put(service.name(), service.withImage(now));
                continue;
            }
            ImageReference reference = ImageReference.parse(image);
            Resolution answer = asked.computeIfAbsent(image,
                    i -> distribution.resolve(reference, auth.forRegistry(reference.registry())));
            switch (answer) {
                case Resolution.Digest d -> services.put(service.name(), service.withImage(reference.pinnedTo(d.digest())));
                case Resolution.Unresolved u -> {
                    services.put(service.name(), service);
                    warnings.add("image " + image + " (service " + service.name() + ") is not pinned to a digest: "
                            + u.reason() + "; each node uses what it finds under this tag");
                }
                case Resolution.Refused r ->
                        refusals.add("image " + image + " (service " + service.name() + "): " + r.reason());
            }
        }
        if (!refusals.isEmpty()) {
            throw new RefusedImage(String.join("; ", refusals) + "; nothing was applied");
        }
        return new Pinned(new StackDefinition(services, definition.networks(), definition.volumes(),
                definition.configs(), definition.secrets(), definition.extensions()), warnings);
    }

    /** The images of a pinned definition that are pinned to a digest, by service key (what a version ran). */
    public static Map<String, String> pinnedImages(StackDefinition definition) {
        Map<String, String> pinned = new TreeMap<>();
        definition.services().values().stream()
                .filter(service -> service.image() != null && ImageReference.parse(service.image()).pinned())
                .forEach(service -> pinned.put(service.name(), service.image()));
        return pinned;
    }

    private static boolean sameReference(String pinned, String image) {
        return ImageReference.parse(pinned).unpinned().equals(image);
    }
}
