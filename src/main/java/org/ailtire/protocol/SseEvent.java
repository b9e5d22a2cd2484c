package org.ailtire.protocol;

/**
 * One Server-Sent Event.
 *
 * @param event the event name ({@code message} when the stream gave none)
 * @param data  the data lines joined with {@code \n}
 * @param id    the last event id seen on the stream so far (empty when none)
 */
public record SseEvent(String event, String data, String id) {
}
