package org.ailtire.definition;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A service's {@code x-ailtire} field, parsed and checked by the loader; the rest of the controller only reads
 * these fields. A service is a child stack of ours ({@link #stack} present, no routes), an original (Node.js) ailtire
 * child stack ({@link #original} present: {@code compatibility: original}), or an ordinary service that may declare
 * gateway routes.
 *
 * @param stack    {@code stack} (and {@code path}): the service is a child stack with this definition
 * @param routes   {@code routes}: the gateway routes of an ordinary service, in file order
 * @param original     {@code compatibility: original} (and {@code path}): the service's image is an original ailtire
 *                     sidecar, a child stack that speaks the original's protocol and holds its own definition
 * @param autoRedeploy {@code auto_redeploy}: how often an ordinary service's tag is asked of its registry; when it
 *                     points to another digest than the service runs, the service is redeployed with it
 */
public record AiltireExtension(Optional<ChildStackReference> stack, List<RouteDeclaration> routes,
                               Optional<OriginalChildReference> original, Optional<Duration> autoRedeploy) {
    /** The Compose extension field that carries it. */
    public static final String KEY = "x-ailtire";
    /** A service without {@code x-ailtire}: an ordinary service with no routes. */
    public static final AiltireExtension NONE = new AiltireExtension(Optional.empty(), List.of());

    public AiltireExtension {
        stack = stack == null ? Optional.empty() : stack;
        routes = Ordered.list(routes);
        original = original == null ? Optional.empty() : original;
        autoRedeploy = autoRedeploy == null ? Optional.empty() : autoRedeploy;
    }

    public AiltireExtension(Optional<ChildStackReference> stack, List<RouteDeclaration> routes,
                            Optional<OriginalChildReference> original) {
        this(stack, routes, original, Optional.empty());
    }

    public AiltireExtension(Optional<ChildStackReference> stack, List<RouteDeclaration> routes) {
        this(stack, routes, Optional.empty());
    }

    /** An ordinary service with these routes whose tag is followed every {@code interval}. */
    public static AiltireExtension autoRedeployed(List<RouteDeclaration> routes, Duration interval) {
        return new AiltireExtension(Optional.empty(), routes, Optional.empty(), Optional.of(interval));
    }

    /** A child stack service {@code key} routed at {@code /<key>}, with this definition (YAML text). */
    public static AiltireExtension childStack(String key, String definition) {
        return new AiltireExtension(Optional.of(new ChildStackReference(definition, "/" + key)), List.of());
    }

    /** An original ailtire child stack at {@code /<key>}. */
    public static AiltireExtension originalChild(String key) {
        return new AiltireExtension(Optional.empty(), List.of(), Optional.of(new OriginalChildReference("/" + key)));
    }

    /** A child stack of ours (run by our controller image). */
    public boolean isChildStack() {
        return stack.isPresent();
    }

    /** An original (Node.js) ailtire child stack. */
    public boolean isOriginalChild() {
        return original.isPresent();
    }
}
