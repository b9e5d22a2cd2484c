package org.ailtire.swarm.convert;

import org.ailtire.swarm.Labels;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The labels of every object of one stack: the user's own, then the docker CLI's namespace label and ours (which
 * win over user labels of the same name, as the CLI's namespace label does).
 */
final class StackLabels {
    private final String namespace;
    private final String stackPath;

    StackLabels(String namespace, String stackPath) {
        this.namespace = namespace;
        this.stackPath = stackPath;
    }

    /** User labels plus the namespace, managed, stack path and key labels. */
    Map<String, String> forObject(String key, Map<String, String> userLabels) {
        Map<String, String> labels = new LinkedHashMap<>(userLabels);
        labels.put(Labels.NAMESPACE, namespace);
        labels.put(Labels.MANAGED, "true");
        labels.put(Labels.STACK_PATH, stackPath);
        labels.put(Labels.KEY, key);
        return labels;
    }
}
