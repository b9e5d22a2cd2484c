package org.ailtire.webhook;

import org.ailtire.stack.MutableClock;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class WebhookTest {
    private static final byte[] BODY = "{\"services\":[\"web\"]}".getBytes(StandardCharsets.UTF_8);
    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-02T06:00:00Z"));
    private final WebhookSecrets secrets = WebhookSecrets.inMemory();
    private final Webhook webhook = new Webhook(secrets, clock);

    private long now() {
        return clock.instant().getEpochSecond();
    }

    private int refused(String header, byte[] body) {
        return webhook.accept(header, body).map(Webhook.Refusal::status).orElse(0);
    }

    @Test
    void aDeliverySignedWithTheSecretIsAcceptedOnceAndItsReplayIsRefused() {
        String secret = webhook.rotate().secret();
        String header = WebhookSignature.header(secret, now(), BODY);

        assertThat(webhook.accept(header, BODY)).isEmpty();
        assertThat(webhook.accept(header, BODY)).get().satisfies(r -> {
            assertThat(r.status()).isEqualTo(409);
            assertThat(r.reason()).contains("replayed");
        });
        clock.advance(Duration.ofSeconds(1));
        assertThat(webhook.accept(WebhookSignature.header(secret, now(), BODY), BODY)).as("signed anew").isEmpty();
    }

    @Test
    void unsignedMalformedWronglySignedAndAlteredDeliveriesAreRefused() {
        String secret = webhook.rotate().secret();
        assertThat(refused(null, BODY)).isEqualTo(401);
        assertThat(webhook.accept(null, BODY).orElseThrow().reason()).contains("unsigned");
        assertThat(refused("sha256=abc", BODY)).isEqualTo(401);
        assertThat(refused("t=" + now() + ",v1=" + "0".repeat(64), BODY)).isEqualTo(401);
        assertThat(refused(WebhookSignature.header("another-secret", now(), BODY), BODY)).isEqualTo(401);
        String header = WebhookSignature.header(secret, now(), BODY);
        assertThat(refused(header, "{\"services\":[\"db\"]}".getBytes(StandardCharsets.UTF_8)))
                .as("another body under the same signature").isEqualTo(401);
        String moved = header.replace("t=" + now(), "t=" + (now() + 1));
        assertThat(refused(moved, BODY)).as("another time under the same signature").isEqualTo(401);
        assertThat(webhook.accept(header, BODY)).as("the genuine one still goes through").isEmpty();
    }

    @Test
    void deliveriesSignedTooLongAgoInTheFutureOrBeforeTheControllerStartedAreRefused() {
        String secret = webhook.rotate().secret();
        clock.advance(Duration.ofMinutes(10));
        assertThat(webhook.accept(WebhookSignature.header(secret, now() - 301, BODY), BODY).orElseThrow().reason())
                .contains("more than 5 minutes");
        assertThat(refused(WebhookSignature.header(secret, now() + 301, BODY), BODY)).isEqualTo(401);
        assertThat(webhook.accept(WebhookSignature.header(secret, now() - 299, BODY), BODY)).isEmpty();

        Webhook restarted = new Webhook(secrets, clock);
        String before = WebhookSignature.header(secret, now() - 1, BODY);
        assertThat(restarted.accept(before, BODY).orElseThrow().reason()).contains("before this controller started");
        assertThat(restarted.accept(WebhookSignature.header(secret, now(), BODY), BODY))
                .as("the kept secret works after a restart").isEmpty();
    }

    @Test
    void aNewSecretRetiresTheOldOneAndAnOffWebhookRefusesEverything() {
        String old = webhook.rotate().secret();
        String current = webhook.rotate().secret();
        assertThat(current).isNotEqualTo(old).hasSizeGreaterThanOrEqualTo(43);
        assertThat(refused(WebhookSignature.header(old, now(), BODY), BODY)).isEqualTo(401);
        assertThat(webhook.accept(WebhookSignature.header(current, now(), BODY), BODY)).isEmpty();

        webhook.disable();
        assertThat(webhook.createdAt()).isEmpty();
        assertThat(refused(WebhookSignature.header(current, now() + 1, BODY), BODY)).isEqualTo(404);
        assertThat(secrets.load()).isEmpty();
    }

    @Test
    void acceptedSignaturesAreForgottenOnceTooOldToBeAcceptedAnyway() {
        String secret = webhook.rotate().secret();
        String header = WebhookSignature.header(secret, now(), BODY);
        assertThat(webhook.accept(header, BODY)).isEmpty();
        clock.advance(Webhook.TOLERANCE.plusSeconds(1));
        assertThat(webhook.accept(header, BODY).orElseThrow().reason()).as("too old now, not merely replayed")
                .contains("more than 5 minutes");
    }
}
