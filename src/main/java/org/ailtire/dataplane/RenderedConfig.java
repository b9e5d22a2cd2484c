package org.ailtire.dataplane;

import java.util.Map;

/**
 * An HAProxy configuration as text, with the files it reads (route maps), by file name within the run directory.
 *
 * @param structure the configuration without the servers given by address: when two configurations differ only in
 *                  those, the change is made through the runtime API instead of a reload
 */
public record RenderedConfig(String config, Map<String, String> files, String structure) {
    public RenderedConfig {
        files = Map.copyOf(files);
    }
}
