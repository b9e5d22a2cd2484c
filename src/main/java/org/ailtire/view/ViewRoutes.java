package org.ailtire.view;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The live web console at {@code /_ailtire/}: three hand-written files served from the classpath, without a
 * token (they hold no data; the page asks for the token and sends it as a bearer header to {@code /api/v1}).
 *
 * <p>Every answer carries a Content-Security-Policy that allows only this origin's scripts, styles and
 * connections (no inline script, no eval). {@code frame-ancestors} is {@code 'self'} unless
 * {@value #FRAME_ANCESTORS_VARIABLE} names who may embed the console (e.g. {@code 'self' https://ops.example}); see
 * {@link FrameAncestors}.
 */
public final class ViewRoutes {
    public static final String PREFIX = "/_ailtire";
    public static final String FRAME_ANCESTORS_VARIABLE = FrameAncestors.VARIABLE;

    private final Map<String, Asset> assets;
    private final String policy;

    private record Asset(String contentType, Buffer content) {
    }

    /**
     * @param frameAncestors the CSP {@code frame-ancestors} source list, e.g. {@code 'self'}
     * @throws IllegalArgumentException when it is not one (see {@link FrameAncestors#parse})
     */
    public ViewRoutes(String frameAncestors) {
        this.policy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
                + "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors "
                + FrameAncestors.parse(frameAncestors);
        this.assets = Map.of(
                "/", new Asset("text/html; charset=utf-8", load("index.html")),
                "/index.html", new Asset("text/html; charset=utf-8", load("index.html")),
                "/console.js", new Asset("text/javascript; charset=utf-8", load("console.js")),
                "/console.css", new Asset("text/css; charset=utf-8", load("console.css")));
    }

    /** Frame ancestors from {@value #FRAME_ANCESTORS_VARIABLE}, {@code 'self'} when unset. */
    public static ViewRoutes fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    static ViewRoutes fromEnvironment(Map<String, String> env) {
        String configured = env.get(FRAME_ANCESTORS_VARIABLE);
        try {
            return new ViewRoutes(configured == null || configured.isBlank() ? FrameAncestors.DEFAULT : configured);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(FRAME_ANCESTORS_VARIABLE + ": " + e.getMessage(), e);
        }
    }

    String policy() {
        return policy;
    }

    /** Adds the console's routes; call before any guard that would ask for a token. */
    public void mount(Router router) {
        // Relative links in the page need the trailing slash; a relative Location keeps any proxy prefix.
        router.route(PREFIX).handler(ctx -> {
            if (ctx.request().path().equals(PREFIX)) {
                ctx.response().setStatusCode(301).putHeader("Location", "_ailtire/").end();
            } else {
                ctx.next(); // Vert.x matches the route with a trailing slash too
            }
        });
        router.route(PREFIX + "/*").handler(this::serve);
    }

    private void serve(RoutingContext ctx) {
        HttpMethod method = ctx.request().method();
        if (method != HttpMethod.GET && method != HttpMethod.HEAD) {
            ctx.response().putHeader("Allow", "GET, HEAD");
            ctx.fail(405);
            return;
        }
        Asset asset = assets.get(ctx.request().path().substring(PREFIX.length()));
        if (asset == null) {
            ctx.fail(404);
            return;
        }
        ctx.response()
                .putHeader("Content-Type", asset.contentType())
                .putHeader("Content-Security-Policy", policy)
                .putHeader("X-Content-Type-Options", "nosniff")
                .putHeader("Referrer-Policy", "no-referrer")
                .putHeader("Cache-Control", "no-cache");
        if (method == HttpMethod.HEAD) {
            ctx.response().putHeader("Content-Length", String.valueOf(asset.content().length())).end();
        } else {
            ctx.response().end(asset.content());
        }
    }

    private static Buffer load(String file) {
        try (InputStream in = ViewRoutes.class.getResourceAsStream(file)) {
            if (in == null) {
                throw new IllegalStateException(file + " is missing from the classpath next to "
                        + ViewRoutes.class.getName());
            }
            return Buffer.buffer(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
