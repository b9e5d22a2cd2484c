package org.ailtire.swarm.history;

import com.fasterxml.jackson.core.JsonProcessingException;
import org.ailtire.definition.DefinitionFiles;
import org.ailtire.stack.Json;
import org.ailtire.stack.RegistryAuth;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
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
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();
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

    private final SecretKeySpec key;

    VariableSeal(String token, String namespace) {
        try {
            byte[] material = MessageDigest.getInstance("SHA-256").digest(
                    ("ailtire history variables\0" + token + "\0" + namespace).getBytes(StandardCharsets.UTF_8));
            key = new SecretKeySpec(material, "AES");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
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
        try {
            byte[] iv = new byte[IV_BYTES];
            RANDOM.nextBytes(iv);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
            if (associated != null) {
                cipher.updateAAD(associated);
            }
            byte[] sealed = cipher.doFinal(plain);
            byte[] out = new byte[iv.length + sealed.length];
            System.arraycopy(iv, 0, out, 0, iv.length);
            System.arraycopy(sealed, 0, out, iv.length, sealed.length);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot seal: " + e.getMessage(), e);
        }
    }

    private byte[] decrypt(byte[] in, byte[] associated) throws SealBroken {
        if (in.length <= IV_BYTES) {
            throw new SealBroken("too short", null);
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, in, 0, IV_BYTES));
            if (associated != null) {
                cipher.updateAAD(associated);
            }
            return cipher.doFinal(in, IV_BYTES, in.length - IV_BYTES);
        } catch (GeneralSecurityException e) {
            throw new SealBroken("cannot be opened with this application's token", e);
        }
    }
}
