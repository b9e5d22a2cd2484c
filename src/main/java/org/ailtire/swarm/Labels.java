package org.ailtire.swarm;

/** Labels on every engine object a stack owns. */
public final class Labels {
    /** The docker CLI's own stack label: {@code docker stack ps/services/rm NAME} find our objects by it. */
    public static final String NAMESPACE = "com.docker.stack.namespace";
    /** The docker CLI puts the image as written in the file here; so do we. */
    public static final String STACK_IMAGE = "com.docker.stack.image";
    /** Marks an object as created by ailtire-swarm (value: {@code true}); cleanup and adoption select on it. */
    public static final String MANAGED = "org.ailtire.managed";
    /** The stack's path in the application tree, e.g. {@code /shop/backend}. */
    public static final String STACK_PATH = "org.ailtire.stack.path";
    /** The key of the object in the definition (service, network, config or secret name before namespacing). */
    public static final String KEY = "org.ailtire.key";
    /** SHA-256 of the converted spec, so an update touches only services whose spec changed. */
    public static final String SPEC_HASH = "org.ailtire.spec-hash";

    /** What an object is to ailtire; services running a child stack's controller carry {@link #KIND_STACK}. */
    public static final String KIND = "org.ailtire.kind";
    public static final String KIND_STACK = "stack";
    /** On a child stack's service: the protocol its controller speaks, when it is not ours. */
    public static final String COMPATIBILITY = "org.ailtire.compatibility";
    /** {@link #COMPATIBILITY} of an original (Node.js) ailtire child stack. */
    public static final String COMPATIBILITY_ORIGINAL = "original";
    /** A config holding one version of a stack's definition history. */
    public static final String KIND_DEFINITION = "definition";

    private Labels() {
    }
}
