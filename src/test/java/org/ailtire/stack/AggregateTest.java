package org.ailtire.stack;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import static org.ailtire.stack.Aggregate.*;
import static org.assertj.core.api.Assertions.assertThat;

class AggregateTest {
    private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void emptyStackIsStopped() {
        assertThat(Aggregate.of(List.of())).isEqualTo(STOPPED);
    }

    @ParameterizedTest
    @EnumSource(Aggregate.class)
    void aSingleChildGivesItsOwnValueExceptUnreachableWhichMeansFailed(Aggregate only) {
        assertThat(ofParts(List.of(only))).isEqualTo(only == UNREACHABLE ? FAILED : only);
    }

    /** Every pair and triple of contributions, checked against the documented rule written another way. */
    @Test
    void everyCombinationOfUpToThreeChildrenFollowsTheRule() {
        List<Aggregate> values = List.of(Aggregate.values());
        for (Aggregate a : values) {
            for (Aggregate b : values) {
                assertThat(ofParts(List.of(a, b))).as("%s + %s", a, b).isEqualTo(expected(List.of(a, b)));
                for (Aggregate c : values) {
                    List<Aggregate> parts = List.of(a, b, c);
                    assertThat(ofParts(parts)).as("%s", parts).isEqualTo(expected(parts));
                    assertThat(ofParts(List.of(c, b, a))).as("order does not matter").isEqualTo(ofParts(parts));
                }
            }
        }
    }

    @Test
    void namedCases() {
        assertThat(ofParts(List.of(HEALTHY, HEALTHY))).isEqualTo(HEALTHY);
        assertThat(ofParts(List.of(HEALTHY, FAILED))).isEqualTo(DEGRADED);
        assertThat(ofParts(List.of(HEALTHY, UNREACHABLE))).isEqualTo(DEGRADED);
        assertThat(ofParts(List.of(FAILED, UNREACHABLE))).isEqualTo(FAILED);
        assertThat(ofParts(List.of(FAILED, STOPPED))).isEqualTo(FAILED);
        assertThat(ofParts(List.of(UPDATING, FAILED))).isEqualTo(DEGRADED);
        assertThat(ofParts(List.of(HEALTHY, UPDATING))).isEqualTo(UPDATING);
        assertThat(ofParts(List.of(STARTING, UPDATING))).isEqualTo(UPDATING);
        assertThat(ofParts(List.of(HEALTHY, STARTING))).isEqualTo(STARTING);
        assertThat(ofParts(List.of(HEALTHY, STOPPED))).isEqualTo(DEGRADED);
        assertThat(ofParts(List.of(STOPPED, STOPPED))).isEqualTo(STOPPED);
        assertThat(ofParts(List.of(STOPPED, STARTING))).isEqualTo(STARTING);
        assertThat(ofParts(List.of(DEGRADED, UPDATING))).isEqualTo(DEGRADED);
    }

    @ParameterizedTest
    @EnumSource(Status.State.class)
    void serviceStatesContribute(Status.State state) {
        Aggregate expected = switch (state) {
            case STARTING -> STARTING;
            case RUNNING, COMPLETED -> HEALTHY; // a job that completed did what it was meant to
            case UPDATING -> UPDATING;
            case STOPPING, STOPPED -> STOPPED;
            case FAILED -> FAILED;
            case UNREACHABLE -> UNREACHABLE;
            case DRIFTED -> DEGRADED;
        };
        assertThat(contribution(Status.service("web", state, "", T))).isEqualTo(expected);
    }

    @Test
    void aChildStackContributesItsAggregateUnlessUnreachable() {
        Status child = Status.stack("child", Status.State.RUNNING, "", "http://child:3000", T,
                List.of(Status.service("db", Status.State.FAILED, "oom", T),
                        Status.service("web", Status.State.RUNNING, "", T)));
        assertThat(contribution(child)).isEqualTo(DEGRADED);
        assertThat(contribution(child.unreachable("silent", T))).isEqualTo(UNREACHABLE);

        Status parent = Status.stack("top", Status.State.RUNNING, "", null, T,
                List.of(Status.service("gw", Status.State.RUNNING, "", T), child.unreachable("silent", T)));
        assertThat(parent.aggregate()).isEqualTo(DEGRADED);
    }

    /** The rule of {@link Aggregate}'s documentation, phrased as set logic. */
    private static Aggregate expected(List<Aggregate> parts) {
        Set<Aggregate> s = EnumSet.copyOf(parts);
        boolean broken = s.contains(FAILED) || s.contains(UNREACHABLE);
        Set<Aggregate> working = EnumSet.copyOf(s);
        working.retainAll(EnumSet.of(HEALTHY, DEGRADED, UPDATING, STARTING));
        if (broken) {
            return working.isEmpty() ? FAILED : DEGRADED;
        }
        List<Aggregate> precedence = new ArrayList<>(List.of(DEGRADED, UPDATING, STARTING));
        for (Aggregate p : precedence) {
            if (s.contains(p)) {
                return p;
            }
        }
        if (s.contains(STOPPED)) {
            return s.contains(HEALTHY) ? DEGRADED : STOPPED;
        }
        return HEALTHY;
    }
}
