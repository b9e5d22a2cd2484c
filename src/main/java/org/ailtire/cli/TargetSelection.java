package org.ailtire.cli;

import java.nio.file.Path;

/**
 * What the user said about the target controller on the command line; every part may be null.
 *
 * @param stack the path of the child stack whose controller {@code url} is (below the top, e.g. {@code backend/db}):
 *              the token given is the top's, and the stack's is derived from it
 */
public record TargetSelection(String url, String app, String token, Path tokenFile, String stack) {
    public TargetSelection(String url, String app, String token, Path tokenFile) {
        this(url, app, token, tokenFile, null);
    }

    public static TargetSelection none() {
        return new TargetSelection(null, null, null, null);
    }
}
