package org.ailtire.definition;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * The firewall keys of one route entry ({@code x-ailtire.routes[n]}), each optional, read and checked by
 * {@link RouteFirewallReader}; the gateway's data plane enforces them.
 *
 * @param rateLimit {@code rate_limit}: requests a client address may make in a period (429 beyond)
 * @param allow     {@code allow}: the client addresses and networks (CIDR) accepted, in normal form; empty accepts
 *                  every address (403 for the others)
 * @param auth      {@code auth}: HTTP basic authentication against crypt(3) hashes (401 without valid credentials)
 * @param maxBody   {@code max_body}: the largest request body in bytes (413 beyond)
 * @param timeout   {@code timeout}: how long the target may stay silent before its answer (504 beyond)
 * @param retries   {@code retries}: how often an idempotent request is tried again on another task
 */
public record RouteFirewall(Optional<RateLimit> rateLimit, List<String> allow, Optional<BasicAuth> auth,
                            OptionalLong maxBody, Optional<Duration> timeout, OptionalInt retries) {
    /** A route without any firewall key. */
    public static final RouteFirewall NONE = new RouteFirewall(Optional.empty(), List.of(), Optional.empty(),
            OptionalLong.empty(), Optional.empty(), OptionalInt.empty());

    public RouteFirewall {
        Objects.requireNonNull(rateLimit, "rateLimit");
        allow = Ordered.list(allow);
        Objects.requireNonNull(auth, "auth");
        Objects.requireNonNull(maxBody, "maxBody");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(retries, "retries");
    }

    /** {@code rate_limit: {requests: 100, per: 10s}}. */
    public record RateLimit(int requests, Duration per) {
        public RateLimit {
            Objects.requireNonNull(per, "per");
        }
    }

    /** {@code auth: {users: {alice: "$6$..."}}}: user names and their crypt(3) password hashes, in file order. */
    public record BasicAuth(Map<String, String> users) {
        public BasicAuth {
            users = Ordered.map(users);
        }
    }
}
