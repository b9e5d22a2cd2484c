package org.ailtire.definition;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * Reads the firewall keys of a route entry into a {@link RouteFirewall}, reporting each wrong value at its path
 * (e.g. {@code services.web.x-ailtire.routes[0].rate_limit.requests}). Works on plain values, as
 * {@link AiltireExtensionReader} hands them over.
 */
public final class RouteFirewallReader {
    static final String RATE_LIMIT = "rate_limit";
    static final String ALLOW = "allow";
    static final String AUTH = "auth";
    static final String MAX_BODY = "max_body";
    static final String TIMEOUT = "timeout";
    static final String RETRIES = "retries";
    public static final List<String> KEYS = List.of(RATE_LIMIT, ALLOW, AUTH, MAX_BODY, TIMEOUT, RETRIES);
    static final int MAX_RETRIES = 10;
    private static final Duration LONGEST = Duration.ofHours(24);
    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
            + "(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");
    private static final Pattern USER = Pattern.compile("[A-Za-z0-9._@-]{1,64}");
    private static final String SALT = "[./0-9A-Za-z]";
    /**
     * The crypt(3) schemes Debian's libcrypt (libxcrypt, which HAProxy's userlist calls) verifies and that are not
     * broken: SHA-512 and SHA-256 crypt, bcrypt and yescrypt (Debian's default for passwd and mkpasswd).
     */
    static final Map<String, Pattern> HASHES = schemes();

    private RouteFirewallReader() {
    }

    private static Map<String, Pattern> schemes() {
        Map<String, Pattern> schemes = new LinkedHashMap<>();
        schemes.put("$6$ (SHA-512)", Pattern.compile("\\$6\\$(rounds=[0-9]{4,9}\\$)?" + SALT + "{1,16}\\$" + SALT + "{86}"));
        schemes.put("$5$ (SHA-256)", Pattern.compile("\\$5\\$(rounds=[0-9]{4,9}\\$)?" + SALT + "{1,16}\\$" + SALT + "{43}"));
        schemes.put("$2b$/$2y$ (bcrypt)", Pattern.compile("\\$2[by]\\$(0[4-9]|[12][0-9]|3[01])\\$" + SALT + "{53}"));
        schemes.put("$y$ (yescrypt)", Pattern.compile("\\$y\\$" + SALT + "+\\$" + SALT + "+\\$" + SALT + "{43}"));
        return java.util.Collections.unmodifiableMap(schemes);
    }

    /**
     * The firewall keys of a route given as JSON (a route added through the API), checked as a definition's are.
     *
     * @param problems receives {@code "<path>: <message>"} for each wrong value
     * @return the firewall, or empty when a key is wrong
     */
    public static Optional<RouteFirewall> read(Map<?, ?> route, List<String> problems) {
        Problems found = new Problems();
        Optional<RouteFirewall> firewall = read(route, "", found);
        found.errors().forEach(p -> problems.add(p.path() + ": " + p.message()));
        return firewall;
    }

    /** @return the firewall, or empty when a key is wrong (each problem is reported at its path) */
    static Optional<RouteFirewall> read(Map<?, ?> route, String at, Problems problems) {
        int before = problems.errorCount();
        Optional<RouteFirewall.RateLimit> rateLimit = route.containsKey(RATE_LIMIT)
                ? rateLimit(route.get(RATE_LIMIT), Problems.child(at, RATE_LIMIT), problems) : Optional.empty();
        List<String> allow = route.containsKey(ALLOW) ? allow(route.get(ALLOW), Problems.child(at, ALLOW), problems)
                : List.of();
        Optional<RouteFirewall.BasicAuth> auth = route.containsKey(AUTH)
                ? auth(route.get(AUTH), Problems.child(at, AUTH), problems) : Optional.empty();
        OptionalLong maxBody = route.containsKey(MAX_BODY)
                ? maxBody(route.get(MAX_BODY), Problems.child(at, MAX_BODY), problems) : OptionalLong.empty();
        Optional<Duration> timeout = route.containsKey(TIMEOUT)
                ? duration(route.get(TIMEOUT), Problems.child(at, TIMEOUT), problems) : Optional.empty();
        OptionalInt retries = OptionalInt.empty();
        if (route.containsKey(RETRIES)) {
            Optional<Long> n = wholeNumber(route.get(RETRIES));
            if (n.isEmpty() || n.get() < 0 || n.get() > MAX_RETRIES) {
                problems.error(Problems.child(at, RETRIES), "expected a whole number from 0 to " + MAX_RETRIES
                        + ", got " + describe(route.get(RETRIES)));
            } else {
                retries = OptionalInt.of(n.get().intValue());
            }
        }
        if (problems.errorCount() != before) {
            return Optional.empty();
        }
        return Optional.of(new RouteFirewall(rateLimit, allow, auth, maxBody, timeout, retries));
    }

    private static Optional<RouteFirewall.RateLimit> rateLimit(Object value, String at, Problems problems) {
        if (!(value instanceof Map<?, ?> fields)) {
            problems.error(at, "expected a mapping {requests, per}, e.g. {requests: 100, per: 10s}, got "
                    + describe(value));
            return Optional.empty();
        }
        unknownKeys(fields, List.of("requests", "per"), at, problems);
        Optional<Long> requests = wholeNumber(fields.get("requests"));
        if (requests.isEmpty() || requests.get() < 1 || requests.get() > Integer.MAX_VALUE) {
            problems.error(Problems.child(at, "requests"), "expected a whole number of at least 1, got "
                    + describe(fields.get("requests")));
        }
        Optional<Duration> per = duration(fields.get("per"), Problems.child(at, "per"), problems);
        return requests.isPresent() && per.isPresent() && requests.get() >= 1 && requests.get() <= Integer.MAX_VALUE
                ? Optional.of(new RouteFirewall.RateLimit(requests.get().intValue(), per.get())) : Optional.empty();
    }

    private static List<String> allow(Object value, String at, Problems problems) {
        if (!(value instanceof List<?> list) || list.isEmpty()) {
            problems.error(at, "expected a list of addresses or networks, e.g. [10.0.0.0/8, 127.0.0.1, \"fd00::/8\"]"
                    + " (leave allow out to accept every address), got " + describe(value));
            return List.of();
        }
        List<String> allowed = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            String here = Problems.index(at, i);
            if (!(list.get(i) instanceof String text)) {
                problems.error(here, "expected an address or network as a string, got " + describe(list.get(i)));
                continue;
            }
            try {
                allowed.add(network(text.strip()));
            } catch (IllegalArgumentException e) {
                problems.error(here, e.getMessage());
            }
        }
        return allowed;
    }

    /**
     * An IPv4 or IPv6 address, or a network in CIDR notation whose host bits are zero, in normal form. Literals
     * only: a host name is refused, and nothing is looked up.
     */
    static String network(String text) {
        int slash = text.indexOf('/');
        String address = slash < 0 ? text : text.substring(0, slash);
        byte[] bytes;
        if (IPV4.matcher(address).matches()) {
            bytes = literal(address, text);
        } else if (IPV6.matcher(address).matches()) {
            bytes = literal("[" + address + "]", text); // in brackets, a literal that does not parse is never looked up
            if (bytes.length == 4) {
                throw new IllegalArgumentException("expected an IPv4 or IPv6 address or network (CIDR), got \""
                        + text + "\" (an IPv4-mapped IPv6 address: write the IPv4 address)");
            }
        } else {
            throw new IllegalArgumentException("expected an IPv4 or IPv6 address or network (CIDR) such as 10.0.0.0/8,"
                    + " 127.0.0.1 or fd00::/8, got \"" + text + "\" (host names are not accepted)");
        }
        int bits = bytes.length * 8;
        if (slash < 0) {
            return canonical(bytes);
        }
        String length = text.substring(slash + 1);
        if (!length.matches("[0-9]{1,3}") || Integer.parseInt(length) > bits) {
            throw new IllegalArgumentException("expected a prefix length from 0 to " + bits + " after \"/\", got \""
                    + text + "\"");
        }
        int prefix = Integer.parseInt(length);
        BigInteger value = new BigInteger(1, bytes);
        BigInteger hostBits = BigInteger.ONE.shiftLeft(bits - prefix).subtract(BigInteger.ONE);
        if (value.and(hostBits).signum() != 0) {
            byte[] network = value.andNot(hostBits).toByteArray();
            byte[] padded = new byte[bytes.length];
            int copy = Math.min(network.length, padded.length);
            System.arraycopy(network, network.length - copy, padded, padded.length - copy, copy);
            throw new IllegalArgumentException("\"" + text + "\" has host bits set: the network is "
                    + canonical(padded) + "/" + prefix);
        }
        return canonical(bytes) + "/" + prefix;
    }

    private static byte[] literal(String address, String text) {
        try {
            // A literal (digits, dots, colons and hex only, checked above) is parsed, never looked up.
            return InetAddress.getByName(address).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("expected an IPv4 or IPv6 address or network (CIDR), got \"" + text + "\"");
        }
    }

    private static String canonical(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes).getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Optional<RouteFirewall.BasicAuth> auth(Object value, String at, Problems problems) {
        if (!(value instanceof Map<?, ?> fields)) {
            problems.error(at, "expected a mapping {users: {name: crypt(3) hash}}, got " + describe(value));
            return Optional.empty();
        }
        unknownKeys(fields, List.of("users"), at, problems);
        String usersAt = Problems.child(at, "users");
        if (!(fields.get("users") instanceof Map<?, ?> users) || users.isEmpty()) {
            problems.error(usersAt, "expected a mapping of user names to crypt(3) password hashes, e.g. {alice:"
                    + " \"$$6$$...\"}, got " + describe(fields.get("users")));
            return Optional.empty();
        }
        Map<String, String> checked = new LinkedHashMap<>();
        users.forEach((name, hash) -> {
            String here = Problems.child(usersAt, String.valueOf(name));
            if (!USER.matcher(String.valueOf(name)).matches()) {
                problems.error(here, "a user name has 1 to 64 letters, digits, '.', '_', '@' or '-', got \""
                        + name + "\"");
            } else {
                hashProblem(hash).ifPresentOrElse(p -> problems.error(here, p),
                        () -> checked.put(String.valueOf(name), (String) hash));
            }
        });
        return checked.size() == users.size() ? Optional.of(new RouteFirewall.BasicAuth(checked)) : Optional.empty();
    }

    /** What is wrong with a password hash; a plain text password is refused (it would sit in the definition). */
    static Optional<String> hashProblem(Object hash) {
        String accepted = "accepted: " + String.join(", ", HASHES.keySet())
                + "; make one with mkpasswd -m sha-512 or openssl passwd -6, and write each $ as $$ in the definition";
        if (!(hash instanceof String text) || text.isEmpty()) {
            return Optional.of("expected a crypt(3) password hash, got " + describe(hash) + " (" + accepted + ")");
        }
        if (!text.startsWith("$")) {
            return Optional.of("refused: a plain text password; give its crypt(3) hash instead (" + accepted + ")");
        }
        for (Pattern scheme : HASHES.values()) {
            if (scheme.matcher(text).matches()) {
                return Optional.empty();
            }
        }
        String scheme = text.indexOf('$', 1) > 0 ? text.substring(0, text.indexOf('$', 1) + 1) : text;
        return Optional.of("not a hash of an accepted scheme or cut short (it starts with \"" + scheme + "\"; "
                + accepted + ")");
    }

    private static OptionalLong maxBody(Object value, String at, Problems problems) {
        long bytes;
        if (value instanceof Integer || value instanceof Long) {
            bytes = ((Number) value).longValue();
        } else if (value instanceof String text) {
            try {
                bytes = Units.bytes(text.strip());
            } catch (IllegalArgumentException e) {
                problems.error(at, e.getMessage());
                return OptionalLong.empty();
            }
        } else {
            problems.error(at, "expected a size such as \"1m\", \"512k\" or a number of bytes, got " + describe(value));
            return OptionalLong.empty();
        }
        if (bytes < 1) {
            problems.error(at, "expected a size of at least 1 byte, got " + describe(value));
            return OptionalLong.empty();
        }
        return OptionalLong.of(bytes);
    }

    /** A duration from 1 ms to 24 h, as Go writes them ({@code 10s}, {@code 1m30s}, {@code 500ms}). */
    private static Optional<Duration> duration(Object value, String at, Problems problems) {
        if (value instanceof Integer || value instanceof Long) {
            value = String.valueOf(value); // told it needs a unit
        }
        if (!(value instanceof String text)) {
            problems.error(at, "expected a duration such as \"10s\", \"1m30s\" or \"500ms\", got " + describe(value));
            return Optional.empty();
        }
        Duration duration;
        try {
            duration = Units.duration(text.strip());
        } catch (IllegalArgumentException e) {
            problems.error(at, e.getMessage());
            return Optional.empty();
        }
        if (duration.compareTo(Duration.ofMillis(1)) < 0 || duration.compareTo(LONGEST) > 0) {
            problems.error(at, "expected a duration from 1ms to 24h, got \"" + text + "\"");
            return Optional.empty();
        }
        return Optional.of(duration);
    }

    private static Optional<Long> wholeNumber(Object value) {
        if (value instanceof Integer || value instanceof Long) {
            return Optional.of(((Number) value).longValue());
        }
        if (value instanceof String text && text.strip().matches("[0-9]{1,18}")) {
            return Optional.of(Long.parseLong(text.strip()));
        }
        return Optional.empty();
    }

    private static void unknownKeys(Map<?, ?> fields, List<String> known, String at, Problems problems) {
        for (Object field : fields.keySet()) {
            if (!known.contains(String.valueOf(field))) {
                problems.error(Problems.child(at, String.valueOf(field)), "unknown field (expected "
                        + String.join(", ", known) + ")");
            }
        }
    }

    private static String describe(Object value) {
        return value == null ? "nothing" : value instanceof Map<?, ?> ? "a mapping"
                : value instanceof List<?> ? "a list" : RouteSyntax.describe(value);
    }
}
