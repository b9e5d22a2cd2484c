package org.ailtire.swarm.stack;

import org.ailtire.stack.LogRequest;
import org.ailtire.stack.LogSink;
import org.ailtire.stack.Registration;

/** Reads the logs of a service in a child stack, through that child's controller. */
public interface ChildLogs {
    AutoCloseable forward(Registration child, LogRequest request, LogSink sink);
}
