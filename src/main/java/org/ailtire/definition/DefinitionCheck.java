package org.ailtire.definition;

import java.util.List;

/**
 * A check a loader runs on a definition that loaded (e.g. the tree's policy, see {@code org.ailtire.policy}); what it
 * returns refuses the definition like any other error.
 */
@FunctionalInterface
public interface DefinitionCheck {
    DefinitionCheck NONE = (definition, warnings) -> List.of();

    /**
     * @param warnings what the loader warned about, e.g. keys swarm ignores ({@code services.web.pid})
     * @return the errors found, each with its path; empty when the definition passes
     */
    List<Problem> check(StackDefinition definition, List<Problem> warnings);
}
