package org.ailtire.swarm.convert;

import java.util.Arrays;
import java.util.Map;

/**
 * A swarm config or secret to create, or an external one to use. Swarm configs and secrets cannot change their
 * data, so a non-external one is named after a hash of its data: new content is a new object, services switch
 * to it in their update (and can roll back to the old one), and the old one is pruned afterwards.
 *
 * @param key            the config's or secret's key in the definition
 * @param templateDriver the engine's templating driver for the data (e.g. {@code golang}), null for none
 */
public record FileResource(String name, String key, boolean external, byte[] data, Map<String, String> labels,
                           String templateDriver) {
    public FileResource {
        data = data == null ? null : data.clone();
        labels = Map.copyOf(labels);
    }

    public FileResource(String name, String key, boolean external, byte[] data, Map<String, String> labels) {
        this(name, key, external, data, labels, null);
    }

    @Override
    public byte[] data() {
        return data == null ? null : data.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FileResource other && name.equals(other.name) && key.equals(other.key)
                && external == other.external && Arrays.equals(data, other.data) && labels.equals(other.labels)
                && java.util.Objects.equals(templateDriver, other.templateDriver);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "FileResource[" + name + (external ? ", external" : ", " + data.length + " bytes") + "]";
    }
}
