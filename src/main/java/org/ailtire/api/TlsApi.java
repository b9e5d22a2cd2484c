package org.ailtire.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.ext.web.RoutingContext;
import org.ailtire.stack.Json;
import org.ailtire.tls.GatewayCertificate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /api/v1/tls}: the certificate the top gateway serves, and its replacement by another chain and key
 * without a restart and without dropping a connection ({@code PUT}, body {@code {certificate, key}}, both PEM).
 */
final class TlsApi {
    private static final Logger LOG = LoggerFactory.getLogger(TlsApi.class);
    private final GatewayCertificate certificate;

    TlsApi(GatewayCertificate certificate) {
        this.certificate = certificate;
    }

    void get(RoutingContext ctx) {
        certificate.served().ifPresentOrElse(served -> Responses.json(ctx, 200, view(served)),
                () -> ApiError.send(ctx, 404, new GatewayCertificate.NoTls().getMessage()));
    }

    void replace(RoutingContext ctx) {
        JsonNode body;
        try {
            String text = ctx.body().asString();
            body = Json.MAPPER.readTree(text == null ? "" : text);
        } catch (IOException e) {
            body = null;
        }
        if (body == null || !body.path("certificate").isTextual() || !body.path("key").isTextual()) {
            ApiError.send(ctx, 400, "invalid certificate", List.of("body: expected {certificate, key}, both PEM text"
                    + " (the server's certificate first, then its chain; an unencrypted PKCS#8 key)"));
            return;
        }
        try {
            GatewayCertificate.Served served = certificate.replace(body.path("certificate").asText(),
                    body.path("key").asText(), Actor.of(ctx));
            Responses.json(ctx, 200, view(served));
        } catch (GatewayCertificate.NoTls e) {
            ApiError.send(ctx, 409, e.getMessage());
        } catch (IllegalArgumentException e) {
            ApiError.send(ctx, 400, "invalid certificate", List.of(e.getMessage()));
        } catch (IOException e) {
            LOG.warn("the gateway's certificate was not replaced: {}", e.getMessage());
            ApiError.send(ctx, 503, "the certificate was not replaced (the previous one still serves): "
                    + e.getMessage());
        }
    }

    private static Map<String, Object> view(GatewayCertificate.Served served) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("subject", served.subject());
        view.put("notAfter", served.notAfter().toString());
        view.put("fingerprint", served.fingerprint());
        view.put("origin", served.origin());
        if (served.since() != null) {
            view.put("since", served.since().toString());
            view.put("actor", served.actor());
        }
        return view;
    }
}
