package org.ailtire.cli;

import picocli.CommandLine.Option;

/** {@code --output text|json} of the commands that print what a controller answered. */
final class OutputOption {
    enum Format { text, json }

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "text",
            description = "text (default, for people) or json (the controller's JSON, for scripts).")
    Format format = Format.text;

    boolean json() {
        return format == Format.json;
    }
}
