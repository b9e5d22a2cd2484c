package org.ailtire.definition;

import java.util.List;
import java.util.Optional;

/**
 * A service's {@code x-ailtire} field, parsed and checked by the loader; the rest of the controller only reads
 * these fields. A service is either a child stack ({@link #stack} present, no routes) or an ordinary service that may
 * declare gateway routes.
 *
 * @param stack  {@code stack} (and {@code path}): the service is a child stack with this definition
 * @param routes {@code routes}: the gateway routes of an ordinary service, in file order
 */
public record AiltireExtension(Optional<ChildStackReference> stack, List<RouteDeclaration> routes) {
    /** The Compose extension field that carries it. */
    public static final String KEY = "x-ailtire";
    /** A service without {@code x-ailtire}: an ordinary service with no routes. */
    public static final AiltireExtension NONE = new AiltireExtension(Optional.empty(), List.of());

    public AiltireExtension {
        stack = stack == null ? Optional.empty() : stack;
        routes = Ordered.list(routes);
    }

    /** A child stack service {@code key} routed at {@code /<key>}, with this definition (YAML text). */
    public static AiltireExtension childStack(String key, String definition) {
        return new AiltireExtension(Optional.of(new ChildStackReference(definition, "/" + key)), List.of());
    }

    public boolean isChildStack() {
        return stack.isPresent();
    }
}
