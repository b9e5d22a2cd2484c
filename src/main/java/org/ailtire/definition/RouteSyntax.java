package org.ailtire.definition;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The rules route fields follow, shared by definitions ({@code x-ailtire.routes}) and the gateway's runtime API; each
 * check takes a plain value (as parsed from YAML or JSON) and returns what is wrong.
 */
public final class RouteSyntax {
    /** Paths the control plane owns: a route may not shadow them. */
    public static final List<String> RESERVED = List.of("/api", "/_admin", "/_ailtire");
    private static final Pattern PATH = Pattern.compile("/|(/[A-Za-z0-9._~!$&'()*+,;=:@%-]+)+");
    private static final Pattern HOST = Pattern.compile(
            "(\\*\\.)?[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*");
    private static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9._-]{0,62})");

    private RouteSyntax() {
    }

    public static Optional<String> pathProblem(Object value) {
        if (!(value instanceof String path)) {
            return Optional.of("expected a path starting with /, e.g. /shop");
        }
        if (!PATH.matcher(path).matches()) {
            return Optional.of("expected a path starting with /, with no empty segment, no trailing slash and no"
                    + " spaces, got \"" + path + "\"");
        }
        if (List.of(path.split("/")).contains("..") || List.of(path.split("/")).contains(".")) {
            return Optional.of("\".\" and \"..\" segments are not allowed, got \"" + path + "\"");
        }
        for (String reserved : RESERVED) {
            if (path.equals(reserved) || path.startsWith(reserved + "/")) {
                return Optional.of(reserved + "/ belongs to the control plane, got \"" + path + "\"");
            }
        }
        return Optional.empty();
    }

    public static Optional<String> rewriteProblem(Object value) {
        if (!(value instanceof String rewrite) || !PATH.matcher(rewrite).matches()
                || List.of(rewrite.split("/")).contains("..")) {
            return Optional.of("expected a path starting with /, e.g. /, got " + describe(value));
        }
        return Optional.empty();
    }

    /** @return the port, or empty when the value is not one */
    public static Optional<Integer> port(Object value) {
        long port;
        if (value instanceof Integer || value instanceof Long) {
            port = ((Number) value).longValue();
        } else if (value instanceof String s && s.strip().matches("[0-9]{1,5}")) {
            port = Long.parseLong(s.strip());
        } else {
            return Optional.empty();
        }
        return port >= 1 && port <= 65535 ? Optional.of((int) port) : Optional.empty();
    }

    public static Optional<RouteDeclaration.Protocol> protocol(Object value) {
        if (value == null) {
            return Optional.of(RouteDeclaration.Protocol.HTTP);
        }
        if (value instanceof String s) {
            return switch (s.toLowerCase(Locale.ROOT)) {
                case "http" -> Optional.of(RouteDeclaration.Protocol.HTTP);
                case "ws" -> Optional.of(RouteDeclaration.Protocol.WS);
                default -> Optional.empty();
            };
        }
        return Optional.empty();
    }

    /**
     * A route's host: a DNS name, or {@code *.} and a name for any one label under it; case is ignored (the name is
     * {@link #host(Object) kept} in lower case). No port, no trailing dot.
     */
    public static Optional<String> hostProblem(Object value) {
        if (!(value instanceof String host) || host.length() > 253
                || !HOST.matcher(host.toLowerCase(Locale.ROOT)).matches()) {
            return Optional.of("expected a host name such as shop.example.com or *.example.com (letters, digits and"
                    + " '-' in dot-separated labels; no port, no scheme), got " + describe(value));
        }
        return Optional.empty();
    }

    /** A valid host (see {@link #hostProblem}) as routes keep it. */
    public static String host(Object value) {
        return ((String) value).toLowerCase(Locale.ROOT);
    }

    public static Optional<String> nameProblem(Object value) {
        if (!(value instanceof String name) || !NAME.matcher(name).matches()) {
            return Optional.of("expected lower case letters, digits, '.', '_' or '-' (at most 63), got " + describe(value));
        }
        return Optional.empty();
    }

    public static String describe(Object value) {
        return value instanceof String s ? "\"" + s + "\"" : String.valueOf(value);
    }
}
