package org.ailtire.cli;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;

/**
 * What the commands see of the world, so tests can give them their own.
 *
 * @param terminal whether stdin and stdout are a terminal (colours, confirmation prompts)
 * @param width    columns to fit lines into; 0 means do not truncate
 */
public record CliEnvironment(Map<String, String> env, Path home, PrintStream out, PrintStream err, BufferedReader in,
                             boolean terminal, int width) {

    public static CliEnvironment system() {
        boolean terminal = Terminal.isInteractive();
        return new CliEnvironment(System.getenv(), Path.of(System.getProperty("user.home")), System.out, System.err,
                new BufferedReader(new InputStreamReader(System.in, System.console() != null
                        ? System.console().charset() : java.nio.charset.Charset.defaultCharset())),
                terminal, Terminal.width(System.getenv(), terminal));
    }

    /** Colours only on a terminal, and never when NO_COLOR is set (https://no-color.org). */
    public boolean colour() {
        String noColor = env.get("NO_COLOR");
        return terminal && (noColor == null || noColor.isEmpty());
    }

    public ContextStore contexts() {
        return ContextStore.inHome(home);
    }
}
