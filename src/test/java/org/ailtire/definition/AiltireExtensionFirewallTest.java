package org.ailtire.definition;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The firewall keys of {@code x-ailtire.routes[n]}: read into {@link RouteFirewall}, every wrong value named by its path. */
class AiltireExtensionFirewallTest {
    /** "wonderland" as SHA-512 crypt, each $ doubled as Compose interpolation wants it. */
    private static final String SHA512 = "$$6$$bYt6m/I.ccbDGNuL$$ZwzeklhTuWIsDrprCc/gmhENF5fQ3gHLgPlSlwVflfFw8d/sPyE6DjvaHxLHV6MYnkUo3m7e4OvPf9UoGnqUT0";
    private static final String AT = "services.web.x-ailtire.routes[0].";

    private static RouteFirewall firewall(String keys) throws DefinitionException {
        StackDefinition definition = new DefinitionLoader(null).load("""
                services:
                  web:
                    image: nginx
                    x-ailtire:
                      routes:
                        - path: /shop
                          port: 8000
                """ + keys.indent(10), Map.of()).definition();
        return definition.services().get("web").ailtire().routes().getFirst().firewall();
    }

    private static List<String> problems(String keys) {
        return assertThatThrownBy(() -> firewall(keys)).isInstanceOf(DefinitionException.class).actual()
                instanceof DefinitionException e ? e.problems().stream().map(Problem::toString).toList() : List.of();
    }

    @Test
    void everyKeyIsReadIntoTheRoutesFirewall() throws Exception {
        RouteFirewall firewall = firewall("""
                rate_limit: {requests: 100, per: 10s}
                allow: [10.0.0.0/8, 127.0.0.1, "FD00:0::/8", "::1"]
                auth:
                  users:
                    alice: "%s"
                    bob: "$$2y$$05$$abcdefghijklmnopqrstuuA0vov2GDneHB3.8.cv9UF9g.RdvScIW"
                    carol: "$$y$$j9T$$abcdefghijklmnop$$TEjqn/axP6s2k870Y8qmsWKT4abEwlBzgTkuGZBqaR6"
                    dave: "$$5$$RIlaHSMbrEGw0kiz$$./jWd0sQja5SGfINvevVsZYcFGQabQOtqEcW7rqfZ26"
                max_body: 1m
                timeout: 30s
                retries: 2
                """.formatted(SHA512));

        assertThat(firewall.rateLimit()).contains(new RouteFirewall.RateLimit(100, Duration.ofSeconds(10)));
        assertThat(firewall.allow()).containsExactly("10.0.0.0/8", "127.0.0.1", "fd00:0:0:0:0:0:0:0/8", "0:0:0:0:0:0:0:1");
        assertThat(firewall.auth().orElseThrow().users()).containsOnlyKeys("alice", "bob", "carol", "dave");
        assertThat(firewall.auth().orElseThrow().users().get("alice")).isEqualTo(SHA512.replace("$$", "$"));
        assertThat(firewall.maxBody()).hasValue(1_048_576);
        assertThat(firewall.timeout()).contains(Duration.ofSeconds(30));
        assertThat(firewall.retries()).hasValue(2);
    }

    @Test
    void aRouteWithoutKeysHasNoFirewallAndNumbersMayBeStringsAfterInterpolation() throws Exception {
        assertThat(firewall("")).isEqualTo(RouteFirewall.NONE);
        assertThat(firewall("rate_limit: {requests: \"5\", per: 1m}\nmax_body: 2048\nretries: \"0\""))
                .isEqualTo(new RouteFirewall(Optional.of(new RouteFirewall.RateLimit(5, Duration.ofMinutes(1))), List.of(),
                        Optional.empty(), OptionalLong.of(2048), Optional.empty(), OptionalInt.of(0)));
    }

    @Test
    void theRateLimitNeedsAPositiveWholeNumberOfRequestsAndAPeriod() {
        assertThat(problems("rate_limit: {requests: 0, per: 10s}")).containsExactly(
                AT + "rate_limit.requests: expected a whole number of at least 1, got 0");
        assertThat(problems("rate_limit: {requests: 1.5, per: 10}")).containsExactly(
                AT + "rate_limit.requests: expected a whole number of at least 1, got 1.5",
                AT + "rate_limit.per: a duration needs a unit, e.g. \"10s\" (units: ns, us, ms, s, m, h)");
        assertThat(problems("rate_limit: {requests: 10, per: 10 seconds, burst: 5}")).containsExactly(
                AT + "rate_limit.burst: unknown field (expected requests, per)",
                AT + "rate_limit.per: expected a duration such as \"10s\", \"1m30s\" or \"500ms\", got \"10 seconds\"");
        assertThat(problems("rate_limit: {requests: 10}")).containsExactly(
                AT + "rate_limit.per: expected a duration such as \"10s\", \"1m30s\" or \"500ms\", got nothing");
        assertThat(problems("rate_limit: 100")).containsExactly(AT + "rate_limit: expected a mapping"
                + " {requests, per}, e.g. {requests: 100, per: 10s}, got 100");
    }

    @Test
    void theAllowListTakesIpv4AndIpv6AddressesAndNetworksOnly() {
        assertThat(problems("allow: [10.0.0.0/33, 10.0.0.1/8, 300.1.2.3, example.com, \"fd00::/129\", \"fd00::1::2\","
                + " \"::ffff:1.2.3.4\", 10.0.0.0/x]")).containsExactly(
                AT + "allow[0]: expected a prefix length from 0 to 32 after \"/\", got \"10.0.0.0/33\"",
                AT + "allow[1]: \"10.0.0.1/8\" has host bits set: the network is 10.0.0.0/8",
                AT + "allow[2]: expected an IPv4 or IPv6 address or network (CIDR) such as 10.0.0.0/8,"
                        + " 127.0.0.1 or fd00::/8, got \"300.1.2.3\" (host names are not accepted)",
                AT + "allow[3]: expected an IPv4 or IPv6 address or network (CIDR) such as 10.0.0.0/8,"
                        + " 127.0.0.1 or fd00::/8, got \"example.com\" (host names are not accepted)",
                AT + "allow[4]: expected a prefix length from 0 to 128 after \"/\", got \"fd00::/129\"",
                AT + "allow[5]: expected an IPv4 or IPv6 address or network (CIDR), got \"fd00::1::2\"",
                AT + "allow[6]: expected an IPv4 or IPv6 address or network (CIDR), got \"::ffff:1.2.3.4\""
                        + " (an IPv4-mapped IPv6 address: write the IPv4 address)",
                AT + "allow[7]: expected a prefix length from 0 to 32 after \"/\", got \"10.0.0.0/x\"");
        assertThat(problems("allow: []")).containsExactly(AT + "allow: expected a list of addresses or"
                + " networks, e.g. [10.0.0.0/8, 127.0.0.1, \"fd00::/8\"] (leave allow out to accept every address), got a list");
        assertThat(problems("allow: 10.0.0.0/8")).hasSize(1).first().asString().contains(AT + "allow: expected a list");
        assertThat(problems("allow: [8]")).containsExactly(
                AT + "allow[0]: expected an address or network as a string, got 8");
    }

    @Test
    void basicAuthTakesCryptHashesOfTheAcceptedSchemesAndRefusesPlainPasswords() {
        String accepted = "accepted: $6$ (SHA-512), $5$ (SHA-256), $2b$/$2y$ (bcrypt), $y$ (yescrypt); make one with"
                + " mkpasswd -m sha-512 or openssl passwd -6, and write each $ as $$ in the definition";
        assertThat(problems("auth: {users: {alice: wonderland}}")).containsExactly(AT
                + "auth.users.alice: refused: a plain text password; give its crypt(3) hash instead (" + accepted + ")");
        assertThat(problems("auth: {users: {alice: \"$$1$$DJ/pkxJ3$$feHD3UkuzrSkaGiNlRSX/0\"}}")).containsExactly(
                AT + "auth.users.alice: not a hash of an accepted scheme or cut short (it starts with"
                        + " \"$1$\"; " + accepted + ")");
        assertThat(problems("auth: {users: {alice: \"$$6$$salt$$short\"}}")).containsExactly(
                AT + "auth.users.alice: not a hash of an accepted scheme or cut short (it starts with"
                        + " \"$6$\"; " + accepted + ")");
        assertThat(problems("auth: {users: {\"al ice\": \"" + SHA512 + "\", bob: 42}}")).containsExactly(
                AT + "auth.users.al ice: a user name has 1 to 64 letters, digits, '.', '_', '@' or '-', got \"al ice\"",
                AT + "auth.users.bob: expected a crypt(3) password hash, got 42 (" + accepted + ")");
        assertThat(problems("auth: {users: {}, realm: x}")).containsExactly(
                AT + "auth.realm: unknown field (expected users)",
                AT + "auth.users: expected a mapping of user names to crypt(3) password hashes, e.g."
                        + " {alice: \"$$6$$...\"}, got a mapping");
        assertThat(problems("auth: alice")).containsExactly(
                AT + "auth: expected a mapping {users: {name: crypt(3) hash}}, got \"alice\"");
    }

    @Test
    void theBodyLimitIsASizeTheTimeoutADurationAndRetriesAreBounded() {
        assertThat(problems("max_body: 1 megabyte")).containsExactly(
                AT + "max_body: expected a size such as \"512M\", \"1g\" or \"1024k\", got \"1 megabyte\"");
        assertThat(problems("max_body: 0")).containsExactly(
                AT + "max_body: expected a size of at least 1 byte, got 0");
        assertThat(problems("timeout: 30")).containsExactly(
                AT + "timeout: a duration needs a unit, e.g. \"30s\" (units: ns, us, ms, s, m, h)");
        assertThat(problems("timeout: 0s")).containsExactly(
                AT + "timeout: expected a duration from 1ms to 24h, got \"0s\"");
        assertThat(problems("timeout: 25h")).containsExactly(
                AT + "timeout: expected a duration from 1ms to 24h, got \"25h\"");
        assertThat(problems("retries: 11")).containsExactly(
                AT + "retries: expected a whole number from 0 to 10, got 11");
        assertThat(problems("retries: -1")).containsExactly(
                AT + "retries: expected a whole number from 0 to 10, got -1");
    }

    @Test
    void anUnknownKeyOfARouteNamesTheFirewallKeysToo() {
        assertThat(problems("ratelimit: 5")).containsExactly(AT + "ratelimit: unknown field (expected path,"
                + " port, rewrite, protocol, host, rate_limit, allow, auth, max_body, timeout, retries)");
    }
}
