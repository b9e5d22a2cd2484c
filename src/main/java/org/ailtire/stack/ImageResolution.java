package org.ailtire.stack;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/**
 * Whether an update pins image references to the digests their registries answer now, like the docker CLI's
 * {@code --resolve-image}: every time ({@code always}), only for services whose image reference changed or that are
 * new ({@code changed}), or never (the tag is handed to swarm as written).
 */
public enum ImageResolution {
    ALWAYS, CHANGED, NEVER;

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @throws IllegalArgumentException naming the accepted values */
    @JsonCreator
    public static ImageResolution parse(String text) {
        for (ImageResolution r : values()) {
            if (r.wire().equals(text)) {
                return r;
            }
        }
        throw new IllegalArgumentException("expected always, changed or never, got \"" + text + "\"");
    }
}
