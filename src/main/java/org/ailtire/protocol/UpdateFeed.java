package org.ailtire.protocol;

import org.ailtire.stack.Update;
import org.ailtire.stack.UpdateEvent;

/** What an update's event stream carries: progress steps, then one end. */
public sealed interface UpdateFeed {
    record Progress(UpdateEvent event) implements UpdateFeed {
    }

    record End(String id, Update.State state) implements UpdateFeed {
    }
}
