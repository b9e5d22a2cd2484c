package org.ailtire.swarm.apply;

import java.util.List;

/** What an apply would do now, by service key; nothing was changed to find out. */
public record PlannedChanges(List<String> create, List<String> update, List<String> unchanged, List<String> remove) {
    public PlannedChanges {
        create = List.copyOf(create);
        update = List.copyOf(update);
        unchanged = List.copyOf(unchanged);
        remove = List.copyOf(remove);
    }
}
