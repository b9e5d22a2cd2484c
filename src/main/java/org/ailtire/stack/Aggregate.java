package org.ailtire.stack;

import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The summary of a stack's children.
 *
 * <p>Each child contributes one value: a service its state ({@code RUNNING} and a job's {@code COMPLETED} count as
 * {@code HEALTHY}, {@code STOPPING} as {@code STOPPED}, {@code DRIFTED} as {@code DEGRADED}), a child stack its own
 * aggregate (a drifted one too: its services removed behind its back show {@code STOPPED} in it), or
 * {@code UNREACHABLE} when it stopped reporting. The rule, first match wins:
 * <ol>
 *   <li>no children: {@code STOPPED} (nothing runs);</li>
 *   <li>some child {@code FAILED} or {@code UNREACHABLE}: {@code DEGRADED} if another child still works
 *       ({@code HEALTHY}, {@code DEGRADED}, {@code UPDATING} or {@code STARTING}), else {@code FAILED};</li>
 *   <li>some child {@code DEGRADED}: {@code DEGRADED};</li>
 *   <li>some child {@code UPDATING}: {@code UPDATING};</li>
 *   <li>some child {@code STARTING}: {@code STARTING};</li>
 *   <li>every child {@code STOPPED}: {@code STOPPED}; {@code STOPPED} next to {@code HEALTHY}: {@code DEGRADED}
 *       (a stopped part of a running stack is missing);</li>
 *   <li>otherwise (all {@code HEALTHY}): {@code HEALTHY}.</li>
 * </ol>
 * A stack's own aggregate is never {@code UNREACHABLE}: only its parent marks it so.
 */
public enum Aggregate {
    HEALTHY, DEGRADED, FAILED, UPDATING, STARTING, STOPPED, UNREACHABLE;

    private static final Set<Aggregate> WORKING = EnumSet.of(HEALTHY, DEGRADED, UPDATING, STARTING);

    public static Aggregate of(List<Status> children) {
        return ofParts(children.stream().map(Aggregate::contribution).toList());
    }

    /** The rule itself, on the values the children contribute. */
    public static Aggregate ofParts(Collection<Aggregate> parts) {
        if (parts.isEmpty()) {
            return STOPPED;
        }
        Set<Aggregate> seen = EnumSet.copyOf(parts);
        if (seen.contains(FAILED) || seen.contains(UNREACHABLE)) {
            return seen.stream().anyMatch(WORKING::contains) ? DEGRADED : FAILED;
        }
        if (seen.contains(DEGRADED)) {
            return DEGRADED;
        }
        if (seen.contains(UPDATING)) {
            return UPDATING;
        }
        if (seen.contains(STARTING)) {
            return STARTING;
        }
        if (seen.contains(STOPPED)) {
            return seen.contains(HEALTHY) ? DEGRADED : STOPPED;
        }
        return HEALTHY;
    }

    /** What one child contributes to its stack's aggregate. */
    public static Aggregate contribution(Status child) {
        if (child.state() == Status.State.UNREACHABLE) {
            return UNREACHABLE;
        }
        if (child.type() == Status.Type.STACK) {
            return child.aggregate();
        }
        return switch (child.state()) {
            case STARTING -> STARTING;
            case RUNNING, COMPLETED -> HEALTHY;
            case DRIFTED -> DEGRADED;
            case UPDATING -> UPDATING;
            case STOPPING, STOPPED -> STOPPED;
            case FAILED -> FAILED;
            case UNREACHABLE -> UNREACHABLE;
        };
    }
}
