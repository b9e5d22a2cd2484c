package org.ailtire.stack;

import java.util.List;

/**
 * What an update would do, with nothing applied: the text diff against the definition applied now and which
 * services would be created, updated (their tasks replaced), left alone or removed.
 *
 * @param baseVersion the history version the diff is taken against; 0 before the first update
 * @param diff        unified diff; empty when the definition text is the same
 */
public record UpdatePreview(int baseVersion, String diff, ServiceChanges services) {

    /** Service keys by what an update would do to them. */
    public record ServiceChanges(List<String> create, List<String> update, List<String> unchanged,
                                 List<String> remove) {
        public ServiceChanges {
            create = List.copyOf(create);
            update = List.copyOf(update);
            unchanged = List.copyOf(unchanged);
            remove = List.copyOf(remove);
        }
    }
}
