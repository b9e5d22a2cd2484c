package org.ailtire.cli;

import org.ailtire.protocol.ControllerUnreachableException;
import org.ailtire.protocol.ControlPlaneException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

import java.io.IOException;

/** Turns what a command throws into one clear line on stderr and the documented exit code. */
final class FailureHandler implements IExecutionExceptionHandler {
    private final CliEnvironment env;

    FailureHandler(CliEnvironment env) {
        this.env = env;
    }

    @Override
    public int handleExecutionException(Exception failure, CommandLine commandLine, ParseResult parseResult) {
        if (failure instanceof ControllerUnreachableException unreachable) {
            env.err().println(TerminalText.clean(unreachable.getMessage()));
            return Main.UNREACHABLE;
        }
        if (failure instanceof ControlPlaneException answered) {
            Errors.print(env, answered);
            return Main.FAILED;
        }
        if (failure instanceof ContextResolver.UnresolvedTarget unresolved) {
            env.err().println(unresolved.getMessage());
            return Main.USAGE;
        }
        if (failure instanceof InterruptedException) {
            Thread.currentThread().interrupt();
            env.err().println("interrupted");
            return Main.FAILED;
        }
        if (failure instanceof IOException io) {
            env.err().println(TerminalText.clean(io.getMessage()));
            return Main.FAILED;
        }
        env.err().println("failed: " + TerminalText.clean(failure));
        return Main.FAILED;
    }
}
