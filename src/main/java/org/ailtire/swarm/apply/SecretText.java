package org.ailtire.swarm.apply;

import org.ailtire.swarm.convert.FileResource;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * docker-java takes a secret's data as text and base64-encodes it itself, so only UTF-8 text can be a secret;
 * binary data is refused with a clear message instead of being stored mangled.
 */
final class SecretText {
    private SecretText() {
    }

    static String of(FileResource secret) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(secret.data())).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalStateException("secret " + secret.key() + " is not UTF-8 text; binary secrets are not supported");
        }
    }
}
