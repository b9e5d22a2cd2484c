package org.ailtire.stack;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Credentials for the registries a definition's images come from, by registry host ({@code docker.io} for Docker
 * Hub, else {@code host[:port]}), like the docker CLI's {@code --with-registry-auth}. They travel with an update,
 * are used for every service created or updated, handed to child stacks as secrets and never shown.
 */
public record RegistryAuth(Map<String, RegistryCredential> registries) {
    public static final RegistryAuth NONE = new RegistryAuth(Map.of());

    @JsonCreator
    public RegistryAuth {
        registries = registries == null ? Map.of() : Map.copyOf(registries);
    }

    @JsonValue
    public Map<String, RegistryCredential> registries() {
        return new TreeMap<>(registries);
    }

    public Optional<RegistryCredential> forRegistry(String registry) {
        return Optional.ofNullable(registries.get(registry));
    }

    /** The credentials for these registries only. */
    public RegistryAuth only(Collection<String> wanted) {
        Map<String, RegistryCredential> kept = new TreeMap<>();
        wanted.forEach(r -> forRegistry(r).ifPresent(c -> kept.put(r, c)));
        return new RegistryAuth(kept);
    }

    public boolean isEmpty() {
        return registries.isEmpty();
    }

    @Override
    public String toString() {
        return "RegistryAuth" + new TreeMap<>(registries).keySet();
    }
}
