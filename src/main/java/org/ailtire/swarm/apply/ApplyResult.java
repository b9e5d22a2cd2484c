package org.ailtire.swarm.apply;

import java.time.Duration;
import java.util.List;

/** What an apply changed, by service key. */
public record ApplyResult(List<String> created, List<String> updated, List<String> unchanged, List<String> removed,
                          Duration took) {
    public ApplyResult {
        created = List.copyOf(created);
        updated = List.copyOf(updated);
        unchanged = List.copyOf(unchanged);
        removed = List.copyOf(removed);
    }
}
