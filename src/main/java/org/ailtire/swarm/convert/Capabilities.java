package org.ailtire.swarm.convert;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code cap_add} and {@code cap_drop} as docker sends them: upper case with the {@code CAP_} prefix, sorted, {@code ALL}
 * standing alone, {@code RESET} left out, and a capability both added and dropped only added.
 */
final class Capabilities {
    private static final String ALL = "ALL";
    private static final String RESET = "RESET";

    private Capabilities() {
    }

    static List<String> effectiveAdd(List<String> add) {
        return List.copyOf(withoutReset(normalized(add)));
    }

    static List<String> effectiveDrop(List<String> add, List<String> drop) {
        Set<String> dropped = withoutReset(normalized(drop));
        dropped.removeAll(normalized(add));
        return List.copyOf(dropped);
    }

    private static TreeSet<String> normalized(List<String> capabilities) {
        TreeSet<String> result = new TreeSet<>();
        for (String capability : capabilities) {
            String name = capability.trim().toUpperCase(java.util.Locale.ROOT);
            result.add(name.equals(ALL) || name.equals(RESET) || name.startsWith("CAP_") ? name : "CAP_" + name);
        }
        return result.contains(ALL) ? new TreeSet<>(Set.of(ALL)) : result;
    }

    private static TreeSet<String> withoutReset(TreeSet<String> capabilities) {
        capabilities.remove(RESET);
        return capabilities;
    }
}
