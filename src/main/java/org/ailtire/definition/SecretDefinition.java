package org.ailtire.definition;

import java.util.Map;

/** A top-level secret; same shape as a config, but its data is never printed. */
public record SecretDefinition(ConfigDefinition content) {
    public SecretDefinition(byte[] data, boolean external, String name, Map<String, String> labels) {
        this(new ConfigDefinition(data, external, name, labels));
    }

    @Override
    public String toString() {
        return "SecretDefinition[" + (content.external() ? "external" : "inline") + ", name=" + content.name() + "]";
    }
}
