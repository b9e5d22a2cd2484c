package org.ailtire.swarm.topology;

import com.fasterxml.jackson.core.JsonProcessingException;
import org.ailtire.stack.Json;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The content of a swarm secret handed to a child's controller: {@code {"fingerprint": ..., field: value}}, where the
 * fingerprint is an HMAC of the value under a key derived from the tree's token and a purpose, so the secret's
 * content-addressed name reveals nothing its value could be guessed from. Shared by {@link RegistryAuthFile} and
 * {@link DefinitionFilesFile}.
 */
final class TreeKeyedContent {
    private final SecretKeySpec key;
    private final String field;
    private final String what;

    /**
     * @param purpose names the key's use, so the two kinds of content never share a key
     * @param field   the JSON field holding the value
     * @param what    what the value is, for error messages
     */
    TreeKeyedContent(String purpose, String token, String field, String what) {
        try {
            key = new SecretKeySpec(MessageDigest.getInstance("SHA-256").digest(
                    (purpose + "\0" + token).getBytes(StandardCharsets.UTF_8)), "HmacSHA256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
        this.field = field;
        this.what = what;
    }

    byte[] write(Object value) {
        Map<String, Object> content = new LinkedHashMap<>();
        content.put("fingerprint", fingerprint(value));
        content.put(field, value);
        try {
            return Json.MAPPER.writeValueAsBytes(content);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    String fingerprint(Object value) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return HexFormat.of().formatHex(mac.doFinal(Json.MAPPER.writeValueAsBytes(value)));
        } catch (GeneralSecurityException | JsonProcessingException e) {
            throw new IllegalStateException("cannot fingerprint the " + what, e);
        }
    }
}
