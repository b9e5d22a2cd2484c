package org.ailtire.cli;

import picocli.CommandLine.Mixin;

import java.io.IOException;

/** A command that talks to a running controller: shares the target options and their resolution. */
abstract class ClientCommand {
    protected final CliEnvironment env;

    @Mixin
    TargetOptions target = new TargetOptions();

    protected ClientCommand(CliEnvironment env) {
        this.env = env;
    }

    protected ControllerContext context() throws ContextResolver.UnresolvedTarget, IOException {
        return new ContextResolver(env.env(), env.contexts()).resolve(target.selection());
    }
}
