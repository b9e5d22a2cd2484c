package org.ailtire.gateway;

import org.ailtire.cli.CliEnvironment;
import org.ailtire.cli.Main;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/** {@code ailtire-swarm args...} run in process with its own home, as the gateway's engine tests drive it. */
record CliRun(int code, String output) {
    /** Runs the command to its end; the output is what it printed on stdout, then on stderr. */
    static CliRun of(Path home, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CliEnvironment env = new CliEnvironment(Map.of(), home, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), new BufferedReader(new StringReader("")), false, 0);
        int code = Main.commandLine(env).execute(args);
        return new CliRun(code, out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8));
    }
}
