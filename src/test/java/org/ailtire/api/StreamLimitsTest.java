package org.ailtire.api;

import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Status streams are capped, and log follows count the engine streams they open (the server allows 2). */
class StreamLimitsTest extends ControlPlaneTestBase {
    StreamLimitsTest() {
        super(ServerSettings.ONE_MIB);
    }

    @Test
    void statusStreamsBeyondTheCapAreRefused() throws Exception {
        List<HttpResponse<InputStream>> open = new ArrayList<>();
        try {
            for (int i = 0; i < StatusApi.MAX_SUBSCRIBERS; i++) {
                open.add(http.send(req("/api/v1/status/events").GET().build(),
                        HttpResponse.BodyHandlers.ofInputStream()));
                assertThat(open.getLast().statusCode()).isEqualTo(200);
            }
            HttpResponse<String> beyond = get("/api/v1/status/events");
            assertThat(beyond.statusCode()).isEqualTo(429);
            assertThat(json(beyond).get("error").asText()).isEqualTo("too many status streams open at once (limit "
                    + StatusApi.MAX_SUBSCRIBERS + ")");
        } finally {
            for (var response : open) {
                response.body().close();
            }
        }
    }

    @Test
    void updateEventStreamsBeyondTheCapAreRefused() throws Exception {
        stack.updateGate = new java.util.concurrent.CountDownLatch(1);
        HttpResponse<String> started = post("/api/v1/update", "{\"definition\":\"services: {}\"}");
        assertThat(started.statusCode()).isEqualTo(202);
        String events = "/api/v1/updates/" + json(started).get("id").asText() + "/events";
        List<HttpResponse<InputStream>> open = new ArrayList<>();
        try {
            for (int i = 0; i < UpdateApi.MAX_SUBSCRIBERS; i++) {
                open.add(http.send(req(events).GET().build(), HttpResponse.BodyHandlers.ofInputStream()));
                assertThat(open.getLast().statusCode()).isEqualTo(200);
            }
            HttpResponse<String> beyond = get(events);
            assertThat(beyond.statusCode()).isEqualTo(429);
            assertThat(json(beyond).get("error").asText()).isEqualTo("too many update event streams open at once "
                    + "(limit " + UpdateApi.MAX_SUBSCRIBERS + ")");
            open.removeFirst().body().close();
            await().atMost(java.time.Duration.ofSeconds(10)).untilAsserted(() -> {
                HttpResponse<InputStream> again = http.send(req(events).GET().build(),
                        HttpResponse.BodyHandlers.ofInputStream());
                open.add(again);
                assertThat(again.statusCode()).as("a closed stream frees its place").isEqualTo(200);
            });
        } finally {
            stack.updateGate.countDown();
            for (var response : open) {
                response.body().close();
            }
        }
    }

    @Test
    void aFollowOfTheWholeStackCountsEachOfItsStreams() throws Exception {
        stack.stackLogStreams = 2;
        HttpResponse<InputStream> whole = http.send(req("/api/v1/logs?follow=true").GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
        try {
            assertThat(whole.statusCode()).as("a follow of more streams than allowed runs alone").isEqualTo(200);
            HttpResponse<String> one = get("/api/v1/logs?service=web&follow=true&tail=0");
            assertThat(one.statusCode()).isEqualTo(429);
            assertThat(json(one).get("error").asText()).isEqualTo(
                    "too many log streams followed at once (limit 2); this follow opens 1 engine stream");
        } finally {
            whole.body().close();
        }
    }
}
