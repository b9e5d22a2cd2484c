package org.ailtire.webhook;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * A stack's redeploy webhook: makes its secret (shown once), and judges deliveries. A delivery is accepted when it is
 * signed with the secret (see {@link WebhookSignature}), was signed within {@link #TOLERANCE} of now, after this
 * controller started, and was not accepted before: every accepted signature is remembered until it is too old to be
 * accepted anyway, and one signed before the start could have been accepted by the controller before this one.
 */
public final class Webhook {
    /** How far a delivery's time may be from the controller's clock, either way. */
    public static final Duration TOLERANCE = Duration.ofMinutes(5);
    /** More deliveries than this within the tolerance are refused (a flood, not a CI). */
    static final int MAX_REMEMBERED = 10_000;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Why a delivery was refused, with the HTTP status it is answered with. */
    public record Refusal(int status, String reason) {
    }

    private final WebhookSecrets secrets;
    private final Clock clock;
    private final Instant started;
    private final Deque<Seen> seenInOrder = new ArrayDeque<>();
    private final Set<String> seen = new HashSet<>();
    private Optional<WebhookSecrets.Stored> cached;

    private record Seen(String signature, long timestamp) {
    }

    public Webhook(WebhookSecrets secrets, Clock clock) {
        this.secrets = secrets;
        this.clock = clock;
        this.started = clock.instant();
    }

    /** Makes a new secret, replacing any earlier one (which stops working now); the only time it is shown. */
    public synchronized WebhookSecrets.Stored rotate() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        WebhookSecrets.Stored made = new WebhookSecrets.Stored(
                Base64.getUrlEncoder().withoutPadding().encodeToString(bytes), clock.instant());
        secrets.save(made);
        cached = Optional.of(made);
        return made;
    }

    /** Turns the webhook off: every delivery is refused until a new secret is made. */
    public synchronized void disable() {
        secrets.delete();
        cached = Optional.empty();
    }

    /** When the secret in use was made; empty when the webhook is off. */
    public synchronized Optional<Instant> createdAt() {
        return secret().map(WebhookSecrets.Stored::createdAt);
    }

    /**
     * Judges a delivery; an accepted one is remembered, so the same cannot be accepted again.
     *
     * @param header the {@code X-Ailtire-Signature} header, null when absent
     * @return empty when accepted, else why not
     */
    public synchronized Optional<Refusal> accept(String header, byte[] body) {
        Optional<WebhookSecrets.Stored> secret = secret();
        if (secret.isEmpty()) {
            return Optional.of(new Refusal(404, "this stack has no webhook (make one with POST /api/v1/webhook)"));
        }
        if (header == null) {
            return Optional.of(new Refusal(401, "unsigned delivery: " + WebhookSignature.HEADER + " is missing"));
        }
        Optional<WebhookSignature> parsed = WebhookSignature.parse(header);
        if (parsed.isEmpty()) {
            return Optional.of(new Refusal(401, WebhookSignature.HEADER
                    + " is not t=<unix seconds>,v1=<hex HMAC-SHA256 of \"<t>.<body>\">"));
        }
        WebhookSignature signature = parsed.get();
        if (!signature.matches(secret.get().secret(), body)) {
            return Optional.of(new Refusal(401, "the signature does not match the body and this stack's secret"));
        }
        Instant now = clock.instant();
        Instant signedAt = Instant.ofEpochSecond(signature.timestamp());
        if (signedAt.isBefore(now.minus(TOLERANCE)) || signedAt.isAfter(now.plus(TOLERANCE))) {
            return Optional.of(new Refusal(401, "signed at " + signedAt + ", more than " + TOLERANCE.toMinutes()
                    + " minutes from the controller's clock (" + now + "): sign each delivery when it is sent"));
        }
        if (signedAt.getEpochSecond() < started.getEpochSecond()) {
            return Optional.of(new Refusal(401, "signed at " + signedAt + ", before this controller started ("
                    + started + "): it may have been delivered already; sign it anew"));
        }
        forgetOlderThan(now.minus(TOLERANCE).getEpochSecond());
        if (seen.contains(signature.v1())) {
            return Optional.of(new Refusal(409, "replayed delivery: this signature was accepted already"));
        }
        if (seen.size() >= MAX_REMEMBERED) {
            return Optional.of(new Refusal(429, "too many deliveries in " + TOLERANCE.toMinutes() + " minutes"));
        }
        seen.add(signature.v1());
        seenInOrder.addLast(new Seen(signature.v1(), signature.timestamp()));
        return Optional.empty();
    }

    private void forgetOlderThan(long epochSecond) {
        // Timestamps arrive roughly in order; one out of order stays until those before it go, which only keeps it
        // longer than needed.
        while (!seenInOrder.isEmpty() && seenInOrder.peekFirst().timestamp() < epochSecond) {
            seen.remove(seenInOrder.removeFirst().signature());
        }
    }

    private Optional<WebhookSecrets.Stored> secret() {
        if (cached == null) {
            cached = secrets.load();
        }
        return cached;
    }
}
