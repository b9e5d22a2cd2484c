package org.ailtire.definition;

import java.util.Map;

/**
 * A top-level config or secret. Exactly one of: {@code external}, or {@code data} (read at load time from
 * {@code file:}, {@code content:} or {@code environment:}), so a loaded definition never refers to the disk.
 *
 * @param name           engine name when set; otherwise the converter derives one
 * @param templateDriver {@code template_driver} (e.g. {@code golang}): the engine renders the data per task; null: none
 */
public record ConfigDefinition(byte[] data, boolean external, String name, Map<String, String> labels,
                               String templateDriver) {
    public ConfigDefinition {
        data = data == null ? null : data.clone();
        labels = Ordered.map(labels);
    }

    public ConfigDefinition(byte[] data, boolean external, String name, Map<String, String> labels) {
        this(data, external, name, labels, null);
    }

    @Override
    public byte[] data() {
        return data == null ? null : data.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConfigDefinition other && java.util.Arrays.equals(data, other.data)
                && external == other.external && java.util.Objects.equals(name, other.name)
                && labels.equals(other.labels) && java.util.Objects.equals(templateDriver, other.templateDriver);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(java.util.Arrays.hashCode(data), external, name, labels, templateDriver);
    }

    @Override
    public String toString() {
        return "ConfigDefinition[" + (external ? "external" : (data == null ? 0 : data.length) + " bytes")
                + ", name=" + name + ", labels=" + labels + (templateDriver == null ? "" : ", template " + templateDriver) + "]";
    }
}
