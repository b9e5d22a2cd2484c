package org.ailtire.stack;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Objects;

/**
 * The bearer token of one stack of a tree. The top stack's is the one {@code deploy} makes; every child's is derived
 * from its parent's: {@code base64url(HMAC-SHA256(key = parent's token, data = "ailtire stack token\0" + child key))}
 * without padding. A parent (and whoever holds an ancestor's token) can derive the tokens of its descendants; a
 * child's token gives nothing about its parent's or its siblings'.
 */
public final class StackToken {
    private static final String PURPOSE = "ailtire stack token\0";
    private final String value;

    private StackToken(String value) {
        this.value = value;
    }

    /** @throws IllegalArgumentException when the token is blank */
    public static StackToken of(String value) {
        Objects.requireNonNull(value, "token");
        if (value.isBlank()) {
            throw new IllegalArgumentException("a stack's token cannot be blank");
        }
        return new StackToken(value);
    }

    /** The token as it is sent ({@code Authorization: Bearer ...}) and stored (never log it). */
    public String value() {
        return value;
    }

    /** The token of the child stack that runs as service {@code key} of this stack. */
    public StackToken child(String key) {
        Objects.requireNonNull(key, "key");
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(value.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] derived = mac.doFinal((PURPOSE + key).getBytes(StandardCharsets.UTF_8));
            return new StackToken(Base64.getUrlEncoder().withoutPadding().encodeToString(derived));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    /**
     * The token of the descendant at {@code path} below this stack, child keys separated by {@code /}
     * ({@code backend/db}: this stack's child {@code backend}'s child {@code db}); an empty path is this stack.
     *
     * @throws IllegalArgumentException when the path has an empty segment ({@code backend//db})
     */
    public StackToken descendant(String path) {
        String trimmed = path.strip();
        if (trimmed.startsWith("/")) {
            trimmed = trimmed.substring(1);
        }
        if (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        StackToken token = this;
        if (trimmed.isEmpty()) {
            return token;
        }
        for (String key : trimmed.split("/", -1)) {
            if (key.isBlank()) {
                throw new IllegalArgumentException("stack path " + path + ": empty child key");
            }
            token = token.child(key);
        }
        return token;
    }

    /** Whether {@code presented} is this token, compared in constant time (both sides hashed, so length leaks not). */
    public boolean matches(String presented) {
        return presented != null && MessageDigest.isEqual(digest(value), digest(presented));
    }

    private static byte[] digest(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    @Override
    public String toString() {
        return "StackToken[***]";
    }
}
