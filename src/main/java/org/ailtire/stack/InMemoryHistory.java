package org.ailtire.stack;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A history kept in this process only (for engines with nowhere to store it, and for tests); the last {@code keep}. */
public final class InMemoryHistory implements DefinitionHistory {
    private final Clock clock;
    private final int keep;
    private final List<DefinitionVersion> versions = new ArrayList<>();
    private final List<UpdateRequest> requests = new ArrayList<>();
    private int last;

    public InMemoryHistory(Clock clock, int keep) {
        this.clock = clock;
        this.keep = keep;
    }

    @Override
    public synchronized List<DefinitionVersion> versions() {
        return List.copyOf(versions);
    }

    @Override
    public synchronized Optional<UpdateRequest> request(int version) {
        for (int i = 0; i < versions.size(); i++) {
            if (versions.get(i).version() == version) {
                return Optional.of(requests.get(i));
            }
        }
        return Optional.empty();
    }

    @Override
    public synchronized DefinitionVersion record(UpdateRequest request, String actor, DefinitionVersion.Outcome outcome,
                                                 String message) {
        DefinitionVersion version = new DefinitionVersion(++last, clock.instant(), actor, outcome, message, "",
                request.definition());
        versions.add(version);
        requests.add(request);
        while (versions.size() > keep) {
            versions.remove(0);
            requests.remove(0);
        }
        return version;
    }
}
