package org.ailtire.swarm.drift;

import java.util.Objects;

/**
 * One way the engine's objects differ from what the last applied definition produced.
 *
 * @param kind    what differs
 * @param object  {@code service}, {@code stack} (a service running a child stack's controller), {@code network},
 *                {@code config} or {@code secret}
 * @param name    the object's engine name
 * @param key     what the status calls it: a service's key in the definition, else the engine name
 * @param detail  the rest of the sentence (after the object), e.g. {@code scaled to 3 (definition: 1)}
 */
public record Difference(Kind kind, String object, String name, String key, String detail) {
    public enum Kind {
        /** The object the definition produced is gone. */
        REMOVED,
        /** A service carrying the stack's namespace label that the definition does not have. */
        ADDED,
        /** A replicated service runs another number of replicas. */
        SCALED,
        /** A service runs another image. */
        IMAGE,
        /** A service's environment has other variables or values. */
        ENVIRONMENT,
        /** Another part of a service's spec changed. */
        SPEC;

        /** Whether putting it back means writing the service's spec again (its spec hash label did not change). */
        boolean rewritesSpec() {
            return this == SCALED || this == IMAGE || this == ENVIRONMENT || this == SPEC;
        }
    }

    public Difference {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(object, "object");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(detail, "detail");
    }

    /** A service, or a child stack's controller. */
    public boolean isService() {
        return object.equals("service") || object.equals("stack");
    }

    /** The service of a child stack's controller. */
    public boolean childStack() {
        return object.equals("stack");
    }

    /** E.g. {@code service api scaled to 3 (definition: 1)}. */
    public String describe() {
        return object + " " + key + " " + detail;
    }
}
