/**
 * The stack's redeploy webhook for CI: one secret per stack, shown once when it is made; deliveries signed with it
 * (HMAC-SHA256 over a timestamp and the body), refused when unsigned, wrongly signed, too old or from the future,
 * or replayed. Where the secret is kept is the engine's business ({@link org.ailtire.webhook.WebhookSecrets}).
 */
package org.ailtire.webhook;
