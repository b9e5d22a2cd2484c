package org.ailtire.webhook;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/** Where a stack's webhook secret is kept between controller restarts (sealed: it is shown once only). */
public interface WebhookSecrets {
    /** The secret and when it was made. */
    record Stored(String secret, Instant createdAt) {
        public Stored {
            Objects.requireNonNull(secret, "secret");
            Objects.requireNonNull(createdAt, "createdAt");
        }

        @Override
        public String toString() {
            return "Stored[secret=(hidden), createdAt=" + createdAt + "]";
        }
    }

    Optional<Stored> load();

    /** Replaces the secret kept (if any) with this one. */
    void save(Stored secret);

    /** Forgets the secret: the webhook is off. */
    void delete();

    /** Kept in this process only (a controller run in a test, or an engine without a place to keep it). */
    static WebhookSecrets inMemory() {
        AtomicReference<Stored> kept = new AtomicReference<>();
        return new WebhookSecrets() {
            @Override
            public Optional<Stored> load() {
                return Optional.ofNullable(kept.get());
            }

            @Override
            public void save(Stored secret) {
                kept.set(secret);
            }

            @Override
            public void delete() {
                kept.set(null);
            }
        };
    }
}
