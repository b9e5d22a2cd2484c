package org.ailtire.gateway;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.function.Function;

/**
 * Passes one plain HTTP request to a route's target over the gateway's pooled client and streams the answer back:
 * request and response bodies are piped (never buffered), hop-by-hop headers stay on their hop, the X-Forwarded-*
 * headers are set, and a target that fails before answering becomes a JSON error naming the route.
 *
 * <p>Built on Vert.x's HttpClient and HttpServer rather than vertx-http-proxy's interceptor chain, which measured
 * as most of the gateway's cost per request: it copies the request headers twice and the response headers once
 * more, and parses and re-formats the response's Date header on every response (see docs/gateway.md). WebSocket
 * upgrades still go through vertx-http-proxy ({@link Gateway}).
 */
final class HttpForwarder {
    private static final Logger LOG = LoggerFactory.getLogger(HttpForwarder.class);
    /** RFC 9110 section 7.6.1: meaningful for one connection only, never passed on. */
    private static final List<CharSequence> HOP_BY_HOP = List.of(HttpHeaders.CONNECTION, HttpHeaders.KEEP_ALIVE,
            HttpHeaders.PROXY_AUTHENTICATE, HttpHeaders.PROXY_AUTHORIZATION, HttpHeaders.createOptimized("te"),
            HttpHeaders.createOptimized("trailer"), HttpHeaders.TRANSFER_ENCODING, HttpHeaders.UPGRADE);

    private final HttpClient client;
    private final GatewaySettings settings;
    private final Function<TargetResolver.Address, Future<SocketAddress>> addresses;

    /** @param addresses resolves a target to the address to connect to, for every request */
    HttpForwarder(HttpClient client, GatewaySettings settings,
                  Function<TargetResolver.Address, Future<SocketAddress>> addresses) {
        this.client = client;
        this.settings = settings;
        this.addresses = addresses;
    }

    void forward(HttpServerRequest incoming, Route route, TargetResolver.Address address) {
        incoming.pause(); // until the target's connection is there to take the body
        addresses.apply(address).compose(server -> client.request(new RequestOptions()
                .setServer(server)
                .setMethod(incoming.method())
                .setURI(targetUri(incoming, route))
                .setConnectTimeout(settings.connectTimeout().toMillis())
                .setIdleTimeout(settings.idleTimeout().toMillis()))).onComplete(connected -> {
            if (connected.failed()) {
                incoming.resume();
                fail(incoming, route, connected.cause());
            } else {
                send(incoming, connected.result(), route);
            }
        });
    }

    /** The path with the route's prefix rewritten, and the query as it came. */
    private static String targetUri(HttpServerRequest incoming, Route route) {
        String path = incoming.path();
        String rewritten = route.rewrite(path);
        String uri = incoming.uri();
        if (rewritten.equals(path) && uri.startsWith("/")) {
            return uri; // the common case of a kept prefix: no new string
        }
        String query = incoming.query();
        return query == null ? rewritten : rewritten + "?" + query;
    }

    private void send(HttpServerRequest incoming, HttpClientRequest outgoing, Route route) {
        MultiMap headers = outgoing.headers();
        headers.addAll(incoming.headers());
        withoutHopByHop(headers);
        headers.remove(HttpHeaders.HOST); // the authority below becomes the Host header
        if (incoming.authority() != null) {
            outgoing.authority(incoming.authority());
        }
        ForwardedHeaders.set(incoming, route, settings.trustForwarded(), headers);

        // Failures are handled through the futures below; without a handler Vert.x would also log each one as an error.
        outgoing.exceptionHandler(failure -> LOG.debug("request to {} failed: {}", outgoing.getURI(), failure.getMessage()));
        var answered = hasBody(incoming) ? outgoing.send(incoming) : outgoing.send();
        if (!hasBody(incoming)) {
            incoming.resume();
        }
        answered.onComplete(result -> {
            if (result.failed()) {
                fail(incoming, route, result.cause());
            } else {
                respond(incoming, outgoing, result.result());
            }
        });
        // A client that goes away stops the target's work too (and keeps a half-used connection out of the pool).
        incoming.response().closeHandler(closed -> outgoing.reset());
    }

    private static boolean hasBody(HttpServerRequest incoming) {
        String length = incoming.getHeader(HttpHeaders.CONTENT_LENGTH);
        return length != null ? !length.equals("0") : incoming.headers().contains(HttpHeaders.TRANSFER_ENCODING);
    }

    private static void respond(HttpServerRequest incoming, HttpClientRequest outgoing, HttpClientResponse answer) {
        HttpServerResponse response = incoming.response();
        response.setStatusCode(answer.statusCode());
        if (answer.statusMessage() != null) {
            response.setStatusMessage(answer.statusMessage());
        }
        MultiMap headers = response.headers();
        headers.addAll(answer.headers());
        withoutHopByHop(headers);
        int status = answer.statusCode();
        if (incoming.method() == HttpMethod.HEAD || status == 204 || status == 304 || status < 200) {
            // No body by definition; the target's Content-Length (of a HEAD) is passed as it is.
            answer.end().onComplete(done -> response.end());
            return;
        }
        response.send(answer).onFailure(failure -> {
            LOG.debug("response from {} broke off: {}", outgoing.getURI(), failure.getMessage());
            outgoing.reset();
            response.reset();
        });
    }

    private static void withoutHopByHop(MultiMap headers) {
        for (CharSequence name : HOP_BY_HOP) {
            headers.remove(name);
        }
    }

    private void fail(HttpServerRequest incoming, Route route, Throwable failure) {
        TargetFailure error = TargetFailure.of(route, failure, settings);
        LOG.debug("{}", error.message());
        HttpServerResponse response = incoming.response();
        if (response.ended() || response.closed()) {
            return;
        }
        if (response.headWritten()) {
            response.reset(); // the client sees a broken response rather than a silently cut one
            return;
        }
        response.setStatusCode(error.status()).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .end(error.json(route).encode());
    }
}
