package org.ailtire.stack;

import java.net.URI;

/**
 * A child stack announcing itself to its parent.
 *
 * @param name    the child stack's name (unique among the parent's children)
 * @param url     the base URL of the child's controller, e.g. {@code http://shop_child:3000}
 * @param service  the parent's service that runs the child controller
 * @param protocol what the child's controller speaks: ours, or the original (Node.js) sidecar's
 */
public record Registration(String name, String url, String service, Protocol protocol) {
    /** The protocol a child stack's controller speaks. */
    public enum Protocol {
        /** Ours: it registers with a token, pushes its status and heartbeats, and shuts down on request. */
        AILTIRE,
        /** The original sidecar's: its parent polls {@code GET /_admin/status} and calls {@code /_admin/*}. */
        ORIGINAL
    }

    public Registration {
        Names.require("name", name);
        Names.require("service", service);
        url = requireHttpUrl(url);
        java.util.Objects.requireNonNull(protocol, "protocol");
    }

    /** A child stack of ours. */
    public Registration(String name, String url, String service) {
        this(name, url, service, Protocol.AILTIRE);
    }

    /** An original child stack: its parent polls it. */
    public static Registration original(String name, String url, String service) {
        return new Registration(name, url, service, Protocol.ORIGINAL);
    }

    public boolean isOriginal() {
        return protocol == Protocol.ORIGINAL;
    }

    private static String requireHttpUrl(String url) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("url: required");
        }
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("url: not a URL: " + url);
        }
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
            throw new IllegalArgumentException("url: expected http(s)://host[:port], got " + url);
        }
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
