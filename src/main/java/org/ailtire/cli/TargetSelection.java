package org.ailtire.cli;

import java.nio.file.Path;

/** What the user said about the target controller on the command line; every part may be null. */
public record TargetSelection(String url, String app, String token, Path tokenFile) {
    public static TargetSelection none() {
        return new TargetSelection(null, null, null, null);
    }
}
