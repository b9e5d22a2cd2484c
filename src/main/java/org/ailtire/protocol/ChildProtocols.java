package org.ailtire.protocol;

import org.ailtire.stack.ChildCommands;
import org.ailtire.stack.ChildLogs;
import org.ailtire.stack.LogRequest;
import org.ailtire.stack.LogSink;
import org.ailtire.stack.Registration;

import java.util.concurrent.CompletableFuture;

/**
 * What a stack asks of its child stacks, each in the protocol its controller speaks ({@link Registration#protocol}):
 * ours through {@link HttpChildCommands} and {@link HttpChildLogs}, an original's through {@link OriginalChildren}.
 */
public record ChildProtocols(ChildCommands ours, ChildLogs ourLogs, OriginalChildren original)
        implements ChildCommands, ChildLogs {

    @Override
    public CompletableFuture<Void> shutdown(Registration child) {
        return child.isOriginal() ? original.shutdown(child) : ours.shutdown(child);
    }

    @Override
    public AutoCloseable forward(Registration child, LogRequest request, LogSink sink) {
        return child.isOriginal() ? original.forward(child, request, sink) : ourLogs.forward(child, request, sink);
    }
}
