package org.ailtire.api;

import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import org.ailtire.definition.DefinitionException;
import org.ailtire.stack.Stack;
import org.ailtire.stack.Update;
import org.ailtire.stack.UpdateInProgressException;
import org.ailtire.webhook.Webhook;
import org.ailtire.webhook.WebhookSecrets;
import org.ailtire.webhook.WebhookSignature;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The stack's redeploy webhook: {@code /api/v1/webhook} makes its secret (shown once, in the answer to
 * {@code POST}), tells whether there is one ({@code GET}) and turns it off ({@code DELETE}), behind the token; and
 * {@value #DELIVERY}, without the token, takes signed deliveries (see {@link Webhook}) and re-resolves the images'
 * tags, updating the services whose digest moved ({@link Stack#refreshImages}).
 */
final class WebhookApi {
    static final String DELIVERY = "/hooks/redeploy";
    private static final Logger LOG = LoggerFactory.getLogger(WebhookApi.class);
    private final Vertx vertx;
    private final Stack stack;
    private final Webhook webhook;

    WebhookApi(Vertx vertx, Stack stack, Webhook webhook) {
        this.vertx = vertx;
        this.stack = stack;
        this.webhook = webhook;
    }

    void create(RoutingContext ctx) {
        vertx.executeBlocking(webhook::rotate).onComplete(made -> {
            if (made.failed()) {
                LOG.warn("stack {}: no webhook secret made: {}", stack.name(), made.cause().toString());
                ApiError.send(ctx, 503, "the webhook secret was not kept on the engine: " + made.cause().getMessage());
                return;
            }
            LOG.info("stack {}: webhook secret made by {}", stack.name(), Actor.of(ctx));
            WebhookSecrets.Stored secret = made.result();
            Map<String, Object> view = view(secret.createdAt());
            view.put("secret", secret.secret());
            view.put("signature", WebhookSignature.HEADER + ": t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "
                    + "\"<t>.\" + body)>");
            Responses.json(ctx, 201, view);
        });
    }

    void show(RoutingContext ctx) {
        vertx.executeBlocking(webhook::createdAt).onComplete(found -> {
            if (found.failed()) {
                ctx.fail(500, found.cause());
            } else if (found.result().isEmpty()) {
                ApiError.send(ctx, 404, "this stack has no webhook (make one with POST /api/v1/webhook)");
            } else {
                Responses.json(ctx, 200, view(found.result().get()));
            }
        });
    }

    void delete(RoutingContext ctx) {
        vertx.executeBlocking(() -> {
            webhook.disable();
            return null;
        }).onComplete(done -> {
            if (done.failed()) {
                ApiError.send(ctx, 503, "the webhook secret was not removed from the engine: "
                        + done.cause().getMessage());
            } else {
                LOG.info("stack {}: webhook turned off by {}", stack.name(), Actor.of(ctx));
                ctx.response().setStatusCode(204).end();
            }
        });
    }

    /** A delivery: judged on its raw bytes first, its body read only once it is known to be the secret holder's. */
    void deliver(RoutingContext ctx) {
        byte[] body = ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
        String signature = ctx.request().getHeader(WebhookSignature.HEADER);
        String actor = "webhook" + Optional.ofNullable(ctx.request().remoteAddress())
                .map(a -> " from " + a.hostAddress()).orElse("");
        vertx.executeBlocking(() -> webhook.accept(signature, body)).onComplete(judged -> {
            if (judged.failed()) {
                ctx.fail(500, judged.cause());
                return;
            }
            if (judged.result().isPresent()) {
                Webhook.Refusal refusal = judged.result().get();
                LOG.warn("stack {}: webhook delivery {} refused: {}", stack.name(), actor, refusal.reason());
                ApiError.send(ctx, refusal.status(), "delivery refused: " + refusal.reason());
                return;
            }
            Set<String> services;
            try {
                services = ServiceNames.parse(new String(body, StandardCharsets.UTF_8));
            } catch (InvalidRequest e) {
                ApiError.send(ctx, 400, "invalid delivery", List.of("body: expected no body, {} or "
                        + "{\"services\": [names]}"));
                return;
            }
            start(ctx, services, actor);
        });
    }

    private void start(RoutingContext ctx, Set<String> services, String actor) {
        vertx.executeBlocking(() -> stack.refreshImages(services, actor, "webhook")).onComplete(result -> {
            if (result.succeeded()) {
                Update update = result.result();
                String location = ControlPlane.BASE + "/updates/" + update.id();
                Responses.json(ctx, 202, Map.of("id", update.id(), "status", location));
            } else if (result.cause() instanceof DefinitionException invalid) {
                ApiError.send(ctx, 400, "cannot redeploy", invalid.problems());
            } else if (result.cause() instanceof UpdateInProgressException
                    || result.cause() instanceof IllegalStateException) {
                ApiError.send(ctx, 409, result.cause().getMessage() + " (sign the delivery anew to try again)");
            } else {
                ctx.fail(500, result.cause());
            }
        });
    }

    private static Map<String, Object> view(Instant createdAt) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("url", DELIVERY);
        view.put("createdAt", createdAt.toString());
        return view;
    }
}
