package org.ailtire.swarm.history;

import com.fasterxml.jackson.core.JsonProcessingException;
import org.ailtire.definition.DefinitionFiles;
import org.ailtire.stack.Json;
import org.ailtire.stack.RegistryAuth;
import org.ailtire.swarm.Seal;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Seals the variables a definition was applied with (they may carry passwords), and the files sent with it (secrets
 * among them), before they are stored on the engine, where anyone who can list configs would read them: AES-GCM under
 * a key derived from the application's token and the stack's namespace. Only a controller of the same tree and stack
 * can open them again.
 */
final class VariableSeal {
    private static final byte[] FILES = "ailtire definition files".getBytes(StandardCharsets.UTF_8);

    /** What is sealed: the variables, and the registry credentials the version was applied with. */
    record Variables(List<String> parameters, Map<String, String> environment, RegistryAuth registryAuth) {
        Variables {
            parameters = parameters == null ? List.of() : List.copyOf(parameters);
            environment = environment == null ? Map.of() : Map.copyOf(environment);
            registryAuth = registryAuth == null ? RegistryAuth.NONE : registryAuth;
        }
    }

    /** The sealed text was not made with this key, or was altered. */
    static final class SealBroken extends Exception {
        SealBroken(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final Seal seal;

    VariableSeal(String token, String namespace) {
        seal = new Seal("ailtire history variables", token, namespace);
    }

    /** @return base64 of the random IV followed by the ciphertext and its tag */
    String seal(Variables variables) {
        try {
            return Base64.getEncoder().encodeToString(encrypt(Json.MAPPER.writeValueAsBytes(variables), null));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot seal the variables: " + e.getMessage(), e);
        }
    }

    Variables open(String sealed) throws SealBroken {
        try {
            return Json.MAPPER.readValue(decrypt(Base64.getDecoder().decode(sealed), null), Variables.class);
        } catch (IllegalArgumentException | java.io.IOException | SealBroken e) {
            throw new SealBroken("the variables cannot be opened with this application's token", e);
        }
    }

    /** @return the random IV followed by the ciphertext and its tag (bound to being files, not variables) */
    byte[] seal(DefinitionFiles files) {
        try {
            return encrypt(Json.MAPPER.writeValueAsBytes(files), FILES);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot seal the files: " + e.getMessage(), e);
        }
    }

    DefinitionFiles openFiles(byte[] sealed) throws SealBroken {
        try {
            return Json.MAPPER.readValue(decrypt(sealed, FILES), DefinitionFiles.class);
        } catch (java.io.IOException | RuntimeException | SealBroken e) {
            throw new SealBroken("the files cannot be opened with this application's token", e);
        }
    }

    private byte[] encrypt(byte[] plain, byte[] associated) {
        return seal.seal(plain, associated);
    }

    private byte[] decrypt(byte[] in, byte[] associated) throws SealBroken {
        try {
            return seal.open(in, associated);
        } catch (Seal.Broken e) {
            throw new SealBroken(e.getMessage(), e);
        }
    }
}
