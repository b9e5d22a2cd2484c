package org.ailtire.swarm.convert;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** How definition keys become engine names in one namespace. */
final class EngineNames {
    /** Swarm refuses longer service names (they become DNS labels). */
    static final int MAX_SERVICE_NAME = 63;
    /** Swarm refuses longer config and secret names. */
    static final int MAX_FILE_NAME = 64;
    static final int CONTENT_HASH_LENGTH = 10;

    private static final Pattern NAMESPACE = Pattern.compile("[a-z0-9][a-z0-9_-]*");
    private static final Pattern SERVICE_KEY = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]*");

    private final String namespace;

    EngineNames(String namespace) {
        if (namespace == null || !NAMESPACE.matcher(namespace).matches()) {
            throw new IllegalArgumentException("stack namespace must match " + NAMESPACE.pattern() + ", got \""
                    + namespace + "\"");
        }
        this.namespace = namespace;
    }

    /** {@code <namespace>_<key>}, as {@code docker stack deploy} names what it creates. */
    String scoped(String key) {
        return namespace + "_" + key;
    }

    /** Why the key cannot name a service, or null when it can. */
    String serviceNameProblem(String key) {
        if (!SERVICE_KEY.matcher(key).matches()) {
            return "a service name may only contain letters, digits, '_', '.' and '-', and must start with a letter or digit";
        }
        String name = scoped(key);
        if (name.length() > MAX_SERVICE_NAME) {
            return "the engine name \"" + name + "\" has " + name.length() + " characters; swarm allows at most "
                    + MAX_SERVICE_NAME + ": shorten the service key or the stack name";
        }
        return null;
    }

    /**
     * A content-addressed config or secret name: {@code <base>_<first 10 hex of sha256(data)>}. Swarm configs and
     * secrets are immutable, so new content must be a new object. A base too long for swarm's 64 characters is cut,
     * and then the hash also covers the full base, so two long keys sharing a prefix still get distinct names.
     */
    static String contentAddressed(String base, byte[] data) {
        int room = MAX_FILE_NAME - CONTENT_HASH_LENGTH - 1;
        if (base.length() <= room) {
            return base + "_" + sha256Hex(data).substring(0, CONTENT_HASH_LENGTH);
        }
        byte[] baseBytes = (base + "\0").getBytes(StandardCharsets.UTF_8);
        byte[] keyed = new byte[baseBytes.length + data.length];
        System.arraycopy(baseBytes, 0, keyed, 0, baseBytes.length);
        System.arraycopy(data, 0, keyed, baseBytes.length, data.length);
        return base.substring(0, room) + "_" + sha256Hex(keyed).substring(0, CONTENT_HASH_LENGTH);
    }

    static String sha256Hex(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
