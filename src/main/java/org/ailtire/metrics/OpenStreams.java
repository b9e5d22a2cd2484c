package org.ailtire.metrics;

import java.util.function.IntSupplier;

/**
 * How many long-lived answers the control plane holds open now, read at each scrape.
 *
 * @param logFollows    followed logs ({@code GET /api/v1/logs?follow=true})
 * @param statusStreams status event streams ({@code GET /api/v1/status/events})
 * @param updateStreams update event streams ({@code GET /api/v1/updates/{id}/events})
 */
public record OpenStreams(IntSupplier logFollows, IntSupplier statusStreams, IntSupplier updateStreams) {
    /** A control plane that has not told its streams yet. */
    public static final OpenStreams NONE = new OpenStreams(() -> 0, () -> 0, () -> 0);
}
