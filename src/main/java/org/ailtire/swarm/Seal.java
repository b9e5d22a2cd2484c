package org.ailtire.swarm;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;

/**
 * Seals what a controller keeps on the engine that anyone who can list configs would otherwise read (variables,
 * secret files, the gateway's private key): AES-GCM under a key derived from the application's token, the stack's
 * namespace and what is sealed. Only a controller of the same tree and stack can open it again.
 */
public final class Seal {
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** The sealed bytes were not made with this key, or were altered. */
    public static final class Broken extends Exception {
        public Broken(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final SecretKeySpec key;

    /** @param purpose what this key seals; keys for different purposes differ */
    public Seal(String purpose, String token, String namespace) {
        try {
            byte[] material = MessageDigest.getInstance("SHA-256").digest(
                    (purpose + "\0" + token + "\0" + namespace).getBytes(StandardCharsets.UTF_8));
            key = new SecretKeySpec(material, "AES");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
    }

    /**
     * @param associated bound to the sealed bytes without being in them (null for none): opening needs the same
     * @return the random IV followed by the ciphertext and its tag
     */
    public byte[] seal(byte[] plain, byte[] associated) {
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

    public byte[] open(byte[] sealed, byte[] associated) throws Broken {
        if (sealed.length <= IV_BYTES) {
            throw new Broken("too short", null);
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed, 0, IV_BYTES));
            if (associated != null) {
                cipher.updateAAD(associated);
            }
            return cipher.doFinal(sealed, IV_BYTES, sealed.length - IV_BYTES);
        } catch (GeneralSecurityException e) {
            throw new Broken("cannot be opened with this application's token", e);
        }
    }
}
