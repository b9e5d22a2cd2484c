package org.ailtire.swarm.history;

import com.fasterxml.jackson.core.JsonProcessingException;
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
 * Seals the variables a definition was applied with (they may carry passwords) before they are stored on the engine,
 * where anyone who can list configs would read them: AES-GCM under a key derived from the application's token and
 * the stack's namespace. Only a controller of the same tree and stack can open them again.
 */
final class VariableSeal {
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

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
            byte[] plain = Json.MAPPER.writeValueAsBytes(variables);
            byte[] iv = new byte[IV_BYTES];
            RANDOM.nextBytes(iv);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
            byte[] sealed = cipher.doFinal(plain);
            byte[] out = new byte[iv.length + sealed.length];
            System.arraycopy(iv, 0, out, 0, iv.length);
            System.arraycopy(sealed, 0, out, iv.length, sealed.length);
            return Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException | JsonProcessingException e) {
            throw new IllegalStateException("cannot seal the variables: " + e.getMessage(), e);
        }
    }

    Variables open(String sealed) throws SealBroken {
        try {
            byte[] in = Base64.getDecoder().decode(sealed);
            if (in.length <= IV_BYTES) {
                throw new SealBroken("too short", null);
            }
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, in, 0, IV_BYTES));
            byte[] plain = cipher.doFinal(in, IV_BYTES, in.length - IV_BYTES);
            return Json.MAPPER.readValue(plain, Variables.class);
        } catch (IllegalArgumentException | GeneralSecurityException | java.io.IOException e) {
            throw new SealBroken("the variables cannot be opened with this application's token", e);
        }
    }
}
