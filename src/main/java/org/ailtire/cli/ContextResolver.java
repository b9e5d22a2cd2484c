package org.ailtire.cli;

import org.ailtire.stack.StackToken;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the controller to talk to.
 *
 * <p>URL, first found wins: {@code --url}; the context file of {@code --app}; {@code AILTIRE_URL}; the only context
 * file when exactly one exists. Token: {@code --token}; {@code --token-file}; the context file the URL came from;
 * {@code AILTIRE_TOKEN}; the context file whose URL is the target's. A context file's token is never sent to
 * another URL. With {@code --stack PATH} (and {@code --url}), the token found is the top's and the target's is derived
 * from it ({@link StackToken#descendant}).
 */
public final class ContextResolver {
    public static final String URL_VARIABLE = "AILTIRE_URL";
    public static final String TOKEN_VARIABLE = "AILTIRE_TOKEN";

    /** The target cannot be determined from what was given: a usage problem. */
    public static final class UnresolvedTarget extends Exception {
        UnresolvedTarget(String message) {
            super(message);
        }
    }

    private final Map<String, String> environment;
    private final ContextStore store;

    public ContextResolver(Map<String, String> environment, ContextStore store) {
        this.environment = environment;
        this.store = store;
    }

    public ControllerContext resolve(TargetSelection selection) throws UnresolvedTarget, IOException {
        Optional<ControllerContext> fromFile = Optional.empty();
        URI url;
        if (present(selection.url())) {
            url = parse(selection.url(), "--url");
        } else if (present(selection.app())) {
            fromFile = Optional.of(store.read(selection.app()).orElseThrow(() -> new UnresolvedTarget(
                    "no context for application " + selection.app() + " (" + store.file(selection.app())
                            + "); deploy it with `ailtire-swarm deploy` or pass --url and --token")));
            url = fromFile.get().url();
        } else if (present(environment.get(URL_VARIABLE))) {
            url = parse(environment.get(URL_VARIABLE), URL_VARIABLE);
        } else {
            fromFile = Optional.of(onlyContext());
            url = fromFile.get().url();
        }

        Optional<ControllerContext> matching = fromFile.isPresent() ? fromFile : contextAt(url);
        String token = firstPresent(
                selection.token(),
                selection.tokenFile() == null ? null : readToken(selection.tokenFile()),
                fromFile.map(ControllerContext::token).orElse(null),
                environment.get(TOKEN_VARIABLE),
                matching.map(ControllerContext::token).orElse(null));
        if (token == null) {
            throw new UnresolvedTarget("no token for " + url + ": pass --token or --token-file, or set "
                    + TOKEN_VARIABLE);
        }
        if (present(selection.stack())) {
            if (!present(selection.url())) {
                throw new UnresolvedTarget("--stack " + selection.stack() + " needs --url: the URL of that stack's "
                        + "controller (a context file holds the top's)");
            }
            try {
                token = StackToken.of(token).descendant(selection.stack()).value();
            } catch (IllegalArgumentException e) {
                throw new UnresolvedTarget("--stack: " + e.getMessage());
            }
        }
        Optional<String> app = present(selection.app()) ? Optional.of(selection.app())
                : matching.flatMap(ControllerContext::app);
        return new ControllerContext(app, url, token);
    }

    private ControllerContext onlyContext() throws UnresolvedTarget, IOException {
        List<String> apps = store.apps();
        if (apps.isEmpty()) {
            throw new UnresolvedTarget("no controller given: pass --url (or set " + URL_VARIABLE
                    + "), or deploy an application with `ailtire-swarm deploy` (no context in "
                    + store.directory() + ")");
        }
        if (apps.size() > 1) {
            throw new UnresolvedTarget("several applications are deployed (" + String.join(", ", apps)
                    + "): pick one with --app");
        }
        return store.read(apps.get(0)).orElseThrow(() -> new UnresolvedTarget(
                "the context of " + apps.get(0) + " disappeared while reading it"));
    }

    private Optional<ControllerContext> contextAt(URI url) throws IOException {
        String wanted = withoutTrailingSlash(url.toString());
        return store.readAll().stream()
                .filter(c -> withoutTrailingSlash(c.url().toString()).equals(wanted))
                .findFirst();
    }

    private static String readToken(Path file) throws UnresolvedTarget {
        try {
            String token = Files.readString(file).strip();
            if (token.isEmpty()) {
                throw new UnresolvedTarget("--token-file " + file + " is empty");
            }
            return token;
        } catch (IOException e) {
            throw new UnresolvedTarget("cannot read --token-file " + file + ": " + e.getMessage());
        }
    }

    private static URI parse(String text, String source) throws UnresolvedTarget {
        try {
            URI uri = URI.create(text.strip());
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new IllegalArgumentException();
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new UnresolvedTarget(source + ": expected http(s)://host:port, got " + text);
        }
    }

    private static String firstPresent(String... candidates) {
        for (String c : candidates) {
            if (present(c)) {
                return c.strip();
            }
        }
        return null;
    }

    private static boolean present(String text) {
        return text != null && !text.isBlank();
    }

    private static String withoutTrailingSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
