package org.ailtire.stack;

/** Reads the logs of a service in a child stack, through that child's controller. */
public interface ChildLogs {
    AutoCloseable forward(Registration child, LogRequest request, LogSink sink);
}
