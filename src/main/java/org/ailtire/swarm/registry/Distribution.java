package org.ailtire.swarm.registry;

import org.ailtire.stack.RegistryCredential;

import java.util.Optional;

/** Asks a registry (through the engine) which digest an image reference points to now. */
@FunctionalInterface
public interface Distribution {
    Resolution resolve(ImageReference image, Optional<RegistryCredential> credential);
}
