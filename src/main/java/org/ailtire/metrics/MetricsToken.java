package org.ailtire.metrics;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;

/**
 * A token that opens {@code /metrics} and nothing else, for a Prometheus server. The controllers know only its
 * SHA-256 ({@value #HASH_VARIABLE}, handed down the tree like the other settings), so the token itself is in no
 * service's specification.
 */
public final class MetricsToken {
    /** The variable that holds the token's SHA-256 in lower-case hex. */
    public static final String HASH_VARIABLE = "AILTIRE_METRICS_TOKEN_SHA256";
    /** The shortest token accepted, as for the application's token. */
    public static final int MIN_LENGTH = 16;

    private final byte[] hash;

    private MetricsToken(byte[] hash) {
        this.hash = hash;
    }

    /** @throws IllegalArgumentException when {@code hex} is not a SHA-256 in hex, naming the variable */
    public static MetricsToken ofHash(String hex) {
        String trimmed = hex.strip().toLowerCase(Locale.ROOT);
        if (!trimmed.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException(HASH_VARIABLE + ": expected a SHA-256 in hex (64 characters)");
        }
        return new MetricsToken(HexFormat.of().parseHex(trimmed));
    }

    /** The token of {@value #HASH_VARIABLE} in this environment; empty when it is not set. */
    public static Optional<MetricsToken> fromEnvironment(java.util.Map<String, String> environment) {
        String hex = environment.get(HASH_VARIABLE);
        return hex == null || hex.isBlank() ? Optional.empty() : Optional.of(ofHash(hex));
    }

    /** The SHA-256 of a token, in hex, for {@value #HASH_VARIABLE}. */
    public static String hashOf(String token) {
        if (token.strip().length() < MIN_LENGTH) {
            throw new IllegalArgumentException("the metrics token is too short (" + MIN_LENGTH
                    + " characters at least)");
        }
        return HexFormat.of().formatHex(sha256(token.strip()));
    }

    /** Whether {@code presented} is this token (compared in constant time); false for null. */
    public boolean matches(String presented) {
        return presented != null && MessageDigest.isEqual(hash, sha256(presented));
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no SHA-256 in this runtime", e);
        }
    }

    @Override
    public String toString() {
        return "MetricsToken[***]";
    }
}
