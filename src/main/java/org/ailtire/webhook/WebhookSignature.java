package org.ailtire.webhook;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The signature of one delivery, as its {@code X-Ailtire-Signature} header carries it:
 * {@code t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>." + body)>} (the timestamp is signed with the body, so an
 * old delivery cannot be sent again with a new time).
 */
public record WebhookSignature(long timestamp, String v1) {
    public static final String HEADER = "X-Ailtire-Signature";

    /** The header's value, or empty when it is not {@code t=<digits>,v1=<64 hex digits>}. */
    public static Optional<WebhookSignature> parse(String header) {
        if (header == null) {
            return Optional.empty();
        }
        Long timestamp = null;
        String v1 = null;
        for (String part : header.split(",")) {
            String[] pair = part.strip().split("=", 2);
            if (pair.length != 2) {
                return Optional.empty();
            }
            switch (pair[0]) {
                case "t" -> timestamp = pair[1].matches("[0-9]{1,12}") ? Long.parseLong(pair[1]) : null;
                case "v1" -> v1 = pair[1].matches("[0-9a-f]{64}") ? pair[1] : null;
                default -> {
                    // other schemes may follow ours in the same header
                }
            }
        }
        return timestamp == null || v1 == null ? Optional.empty() : Optional.of(new WebhookSignature(timestamp, v1));
    }

    /** What a sender puts in the header for this body, at this time. */
    public static String header(String secret, long timestamp, byte[] body) {
        return "t=" + timestamp + ",v1=" + HexFormat.of().formatHex(mac(secret, timestamp, body));
    }

    /** Whether this signature is the secret's for this body, compared in constant time. */
    public boolean matches(String secret, byte[] body) {
        return MessageDigest.isEqual(mac(secret, timestamp, body), HexFormat.of().parseHex(v1));
    }

    private static byte[] mac(String secret, long timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM has no HmacSHA256", e);
        }
    }
}
