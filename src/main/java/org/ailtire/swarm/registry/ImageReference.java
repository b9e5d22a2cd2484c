package org.ailtire.swarm.registry;

/**
 * An image reference split the way the docker CLI does: the part before the first {@code /} is a registry host when
 * it holds a {@code .} or a {@code :} or is {@code localhost}; otherwise the image is on Docker Hub.
 *
 * @param text       the reference as written, e.g. {@code 127.0.0.1:5000/team/app:1.2@sha256:...}
 * @param registry   {@code docker.io} for Docker Hub, else {@code host[:port]}
 * @param repository the reference without tag and digest, as written ({@code 127.0.0.1:5000/team/app})
 * @param digest     {@code sha256:...} when the reference is pinned, else null
 */
public record ImageReference(String text, String registry, String repository, String tag, String digest) {
    public static final String DOCKER_HUB = "docker.io";

    public static ImageReference parse(String text) {
        String rest = text;
        String digest = null;
        int at = rest.indexOf('@');
        if (at >= 0) {
            digest = rest.substring(at + 1);
            rest = rest.substring(0, at);
        }
        String tag = null;
        int colon = rest.lastIndexOf(':');
        if (colon > rest.lastIndexOf('/')) {
            tag = rest.substring(colon + 1);
            rest = rest.substring(0, colon);
        }
        int slash = rest.indexOf('/');
        String first = slash < 0 ? "" : rest.substring(0, slash);
        boolean hasRegistry = first.contains(".") || first.contains(":") || first.equals("localhost");
        String registry = hasRegistry ? normalizeHost(first) : DOCKER_HUB;
        return new ImageReference(text, registry, rest, tag, digest);
    }

    /** The registry a docker config key or a flag names: scheme and path dropped, Docker Hub's aliases merged. */
    public static String normalizeHost(String address) {
        String host = address.strip().replaceFirst("^[a-zA-Z][a-zA-Z0-9+.-]*://", "");
        int slash = host.indexOf('/');
        if (slash >= 0) {
            host = host.substring(0, slash);
        }
        return switch (host) {
            case "index.docker.io", "registry-1.docker.io", "registry.hub.docker.com", "docker.io" -> DOCKER_HUB;
            default -> host;
        };
    }

    public boolean pinned() {
        return digest != null;
    }

    /** The reference without its digest: what a pinned service spec was resolved from. */
    public String unpinned() {
        return tag == null ? repository : repository + ":" + tag;
    }

    /** {@code repository:tag@digest}, as the docker CLI writes a resolved image into a service spec. */
    public String pinnedTo(String newDigest) {
        return unpinned() + "@" + newDigest;
    }
}
