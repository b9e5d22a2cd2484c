package org.ailtire.swarm.registry;

/** What a registry answered for an image reference. */
public sealed interface Resolution {
    /** The registry named the manifest's digest. */
    record Digest(String digest) implements Resolution {
    }

    /** No registry answered for it (a local image, an unreachable registry): it keeps its tag, with a warning. */
    record Unresolved(String reason) implements Resolution {
    }

    /** The registry answered and refused: the credentials are wrong or missing, or the tag does not exist. */
    record Refused(String reason) implements Resolution {
    }
}
