package org.ailtire.stack;

import java.util.Objects;

/** A user name and password for one registry. Never printed: {@link #toString()} hides the password. */
public record RegistryCredential(String username, String password) {
    public RegistryCredential {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
    }

    @Override
    public String toString() {
        return "RegistryCredential[" + username + ", password hidden]";
    }
}
