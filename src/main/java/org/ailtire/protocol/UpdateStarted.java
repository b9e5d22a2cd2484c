package org.ailtire.protocol;

import java.net.URI;

/**
 * An update the controller accepted.
 *
 * @param location where its state is read ({@code Location} of the answer)
 * @param events   where its progress events stream
 */
public record UpdateStarted(String id, URI location, URI events) {
}
