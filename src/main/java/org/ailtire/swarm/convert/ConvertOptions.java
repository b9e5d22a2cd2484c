package org.ailtire.swarm.convert;

import java.util.Objects;

/**
 * What the converter needs besides the definition.
 *
 * @param stackPath  the stack's path in the application tree (e.g. {@code /shop/backend}), put on every object as
 *                   {@link org.ailtire.swarm.Labels#STACK_PATH}
 * @param networking endpoint and publish defaults, and whether the host can do VIP and the routing mesh
 */
public record ConvertOptions(String stackPath, NetworkingDefaults networking) {
    public ConvertOptions {
        Objects.requireNonNull(stackPath, "stackPath");
        Objects.requireNonNull(networking, "networking");
    }
}
