package org.ailtire.dataplane;

import org.ailtire.definition.RouteFirewall;
import org.ailtire.gateway.Route;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.ailtire.dataplane.HaproxyConfig.duration;
import static org.ailtire.dataplane.HaproxyConfig.errorJson;
import static org.ailtire.dataplane.HaproxyConfig.inWords;
import static org.ailtire.dataplane.HaproxyConfig.quote;

/**
 * A route's firewall in HAProxy's words, part of {@link HaproxyConfig}'s output: the checks a request passes in its
 * route's backend before it goes on, in this order: the allow-list (403), the rate limit (429), basic authentication
 * (401) and the body size (413); then the target's timeout and retries. Every answer is the gateway's JSON error.
 */
final class RouteFirewalls {
    /** The methods retried after the request may have reached a task (RFC 9110's idempotent methods but TRACE). */
    static final List<String> IDEMPOTENT = List.of("GET", "HEAD", "OPTIONS", "PUT", "DELETE");

    private RouteFirewalls() {
    }

    /** The userlist a route's basic authentication checks against. */
    static String userlistName(Route route) {
        return "ul_" + HaproxyConfig.backendName(route);
    }

    static void checks(HaproxyConfig.Lines out, Route route) {
        RouteFirewall firewall = route.firewall();
        String what = "route " + route.name() + " (" + route.path() + ")";
        if (!firewall.allow().isEmpty()) {
            out.comment("allow: only these client addresses");
            out.line(answer(403, what + ": your address is not allowed", route)
                    + " unless { var(txn.client) -m ip " + String.join(" ", firewall.allow()) + " }");
        }
        firewall.rateLimit().ifPresent(limit -> {
            out.comment("rate_limit: " + limit.requests() + " requests per " + inWords(limit.per())
                    + " from one client address (refused requests count too)");
            out.line("stick-table type ipv6 size 100k expire " + duration(limit.per()) + " store http_req_rate("
                    + duration(limit.per()) + ")");
            out.line("http-request track-sc1 var(txn.client)");
            out.line(answer(429, what + ": more than " + limit.requests() + " requests in " + inWords(limit.per())
                    + " from your address", route) + " hdr Retry-After " + seconds(limit.per())
                    + " if { sc1_http_req_rate gt " + limit.requests() + " }");
        });
        firewall.auth().ifPresent(auth -> {
            out.comment("auth: basic authentication; the target does not see the credentials");
            out.line("http-request auth realm " + route.name() + " unless { http_auth(" + userlistName(route) + ") }");
            out.line("http-request del-header Authorization");
            HaproxyConfig.errors(out, List.of(new HaproxyConfig.Error(401, what + ": authentication required")), route);
        });
        firewall.maxBody().ifPresent(max -> {
            out.comment("max_body: " + max + " bytes, announced by Content-Length (a chunked body cannot be measured"
                    + " before it is passed on: refused)");
            out.line(answer(411, what + " takes request bodies with a Content-Length only (at most " + max
                    + " bytes)", route) + " if { req.hdr(transfer-encoding) -m found }");
            out.line(answer(413, what + ": the request body is larger than " + max + " bytes", route)
                    + " if { req.hdr_val(content-length) gt " + max + " }");
        });
    }

    /** The target's timeout and retries, after the backend's request rules. */
    static void targetSettings(HaproxyConfig.Lines out, Route route) {
        RouteFirewall firewall = route.firewall();
        firewall.timeout().ifPresent(timeout -> {
            out.comment("timeout: the target's silence before and within its answer");
            out.line("timeout server " + duration(timeout));
        });
        firewall.retries().ifPresent(retries -> {
            out.comment("retries: a refused connection is tried again for every method; an empty answer or the"
                    + " timeout only for " + String.join(", ", IDEMPOTENT) + "; each on another task when there is one");
            out.line("retries " + retries);
            out.line("retry-on conn-failure empty-response response-timeout");
            out.line("http-request disable-l7-retry unless { method " + String.join(" ", IDEMPOTENT) + " }");
        });
    }

    /** The route's userlist section, when it authenticates. */
    static void userlist(HaproxyConfig.Lines out, Route route) {
        route.firewall().auth().ifPresent(auth -> {
            out.section("userlist " + userlistName(route));
            for (Map.Entry<String, String> user : auth.users().entrySet()) {
                out.line("user " + user.getKey() + " password " + quote(user.getValue()));
            }
        });
    }

    private static String answer(int status, String message, Route route) {
        return "http-request return status " + status + " content-type application/json string "
                + quote(errorJson(message, route));
    }

    private static long seconds(Duration duration) {
        return Math.max(1, (duration.toMillis() + 999) / 1000);
    }
}
