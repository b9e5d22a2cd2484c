package org.ailtire.swarm.topology;

import java.util.Locale;
import java.util.Objects;

/**
 * Where a stack sits in an application tree, and the engine names that follow from it. The root is not a stack:
 * it stands for the CLI that deploys the top stack, and holds the top controller, the token secret and the top
 * stack's networks.
 *
 * @param app               the application (the top stack's name)
 * @param namespace         the stack's engine namespace ({@code com.docker.stack.namespace} of its services)
 * @param path              the stack's path in the tree, e.g. {@code /shop/backend} (empty for the root)
 * @param controllerService engine name of the service running this stack's controller (null for the root)
 */
public record StackPlace(String app, String namespace, String path, String controllerService) {
    private static final int MAX_NAMESPACE = 40;

    public StackPlace {
        Objects.requireNonNull(app, "app");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(path, "path");
    }

    public static StackPlace root(String app) {
        return new StackPlace(app, engineName(app) + "-root", "", null);
    }

    public boolean isRoot() {
        return controllerService == null;
    }

    /** The place of the child stack that runs as service {@code key} of this stack. */
    public StackPlace child(String key) {
        String childNamespace = isRoot() ? engineName(app) : namespace + "-" + engineName(key);
        if (childNamespace.length() > MAX_NAMESPACE) {
            throw new IllegalArgumentException("stack path " + path + "/" + key + " is nested too deep for engine names ("
                    + childNamespace + " is longer than " + MAX_NAMESPACE + " characters); use shorter service names");
        }
        return new StackPlace(app, childNamespace, path + "/" + key, namespace + "_" + key);
    }

    /** The network between this stack's controller and its parent's controller (the parent's child network for it). */
    public String parentNetwork() {
        return namespace + "_parent";
    }

    /** The engine name of this stack's network {@code key}, as the converter names it. */
    public String network(String key) {
        return namespace + "_" + key;
    }

    /** The host name a parent reaches the child stack {@code key} by (on the child's parent network). */
    public static String hostName(String key) {
        return engineName(key);
    }

    /**
     * The base URL a parent reaches the controller of its child stack {@code key} at: the child's host name and the
     * admin port every controller of the tree serves its control plane on. The child registers with this URL.
     */
    public static String controllerUrl(String key, int adminPort) {
        return "http://" + hostName(key) + ":" + adminPort;
    }

    /** Lower case letters, digits and dashes, as engine namespaces and host names need. */
    static String engineName(String key) {
        String name = key.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
        return name.isEmpty() || !Character.isLetterOrDigit(name.charAt(0)) ? "s" + name : name;
    }
}
