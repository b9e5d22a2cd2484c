package org.ailtire.cli;

import java.io.Console;
import java.io.File;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Facts about the terminal the CLI runs in. */
final class Terminal {
    private static final int DEFAULT_WIDTH = 80;

    private Terminal() {
    }

    /**
     * Whether stdin and stdout are a terminal. Since JDK 22 {@link System#console()} exists even when redirected,
     * and {@code Console.isTerminal()} tells; it is looked up reflectively because the build targets JDK 21.
     */
    static boolean isInteractive() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            Method isTerminal = Console.class.getMethod("isTerminal");
            return (Boolean) isTerminal.invoke(console);
        } catch (NoSuchMethodException e) {
            return true;
        } catch (ReflectiveOperationException e) {
            return false;
        }
    }

    /** {@code COLUMNS} when set, else what {@code stty size} says on a terminal; 0 (no limit) off a terminal. */
    static int width(Map<String, String> env, boolean terminal) {
        try {
            int columns = Integer.parseInt(env.getOrDefault("COLUMNS", "").strip());
            if (columns > 0) {
                return columns;
            }
        } catch (NumberFormatException notSet) {
            // fall through
        }
        return terminal ? sttyColumns() : 0;
    }

    private static int sttyColumns() {
        try {
            Process stty = new ProcessBuilder("stty", "size")
                    .redirectInput(new File("/dev/tty"))
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            String out = new String(stty.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (stty.waitFor(2, TimeUnit.SECONDS) && stty.exitValue() == 0) {
                String[] rowsColumns = out.split("\\s+");
                if (rowsColumns.length == 2) {
                    return Integer.parseInt(rowsColumns[1]);
                }
            }
        } catch (IOException | NumberFormatException e) {
            // no stty or no tty: the default will do
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return DEFAULT_WIDTH;
    }
}
