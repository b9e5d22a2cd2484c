package org.ailtire.cli;

import org.ailtire.protocol.ControlPlaneException;

/** How the controller's error answers are shown. */
final class Errors {
    private Errors() {
    }

    static void print(CliEnvironment env, ControlPlaneException e) {
        if (e.status() == 401) {
            env.err().println("token rejected by the controller (" + TerminalText.clean(e.error())
                    + "); check --token, --token-file, AILTIRE_TOKEN or the context file in ~/.ailtire");
            return;
        }
        env.err().println(TerminalText.clean(e.error()) + " (HTTP " + e.status() + ")");
        e.details().forEach(detail -> env.err().println("  " + TerminalText.clean(detail)));
    }
}
