package org.ailtire.cli;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/** The options every client command shares to pick its controller. */
public final class TargetOptions {
    @Option(names = "--url", paramLabel = "URL",
            description = "The controller's admin URL, e.g. http://localhost:8081 (default: the --app context, "
                    + "$AILTIRE_URL, or the only context in ~/.ailtire).")
    String url;

    @Option(names = "--app", paramLabel = "NAME",
            description = "Use the context deploy wrote for this application (~/.ailtire/NAME.json).")
    String app;

    @Option(names = "--token", paramLabel = "TOKEN",
            description = "The application's token (default: --token-file, the context file, $AILTIRE_TOKEN). "
                    + "Other users of the machine see it in the process list: prefer --token-file.")
    String token;

    @Option(names = "--token-file", paramLabel = "FILE",
            description = "Read the token from this file (kept out of the process list).")
    Path tokenFile;

    @Option(names = "--stack", paramLabel = "PATH",
            description = "With --url of a child stack's controller: its path below the top (e.g. backend/db). The "
                    + "token given stays the top's; the CLI derives the child's from it (each stack has its own).")
    String stack;

    public TargetSelection selection() {
        return new TargetSelection(url, app, token, tokenFile, stack);
    }
}
