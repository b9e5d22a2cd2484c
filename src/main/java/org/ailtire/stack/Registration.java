package org.ailtire.stack;

import java.net.URI;

/**
 * A child stack announcing itself to its parent.
 *
 * @param name    the child stack's name (unique among the parent's children)
 * @param url     the base URL of the child's controller, e.g. {@code http://shop_child:3000}
 * @param service the parent's service that runs the child controller
 */
public record Registration(String name, String url, String service) {
    public Registration {
        Names.require("name", name);
        Names.require("service", service);
        url = requireHttpUrl(url);
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
