package org.ailtire.metrics;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What HAProxy 2.6's exporter answered (captured from haproxy 2.6.12 with a frontend {@code gateway}, a backend
 * {@code r_web} with one server, the exporter's frontend {@code promex}, after 3 requests answered 200 and one 404).
 */
class PromexSeriesTest {
    private static String captured() throws IOException {
        try (InputStream in = PromexSeriesTest.class.getResourceAsStream("promex-2.6.txt")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void keepsFrontendBackendAndServerSeriesEachWithTheStack() throws IOException {
        PrometheusText original = PrometheusText.parse(captured());
        assertThat(original.find("haproxy_process_nbthread", Map.of())).hasSize(1);

        PrometheusText kept = PrometheusText.parse(PromexSeries.relabel(captured(), "/shop/backend", "promex"));

        assertThat(kept.samples()).isNotEmpty().allSatisfy(s -> {
            assertThat(s.name()).matches("haproxy_(frontend|backend|server)_.*");
            assertThat(s.label("stack")).isEqualTo("/shop/backend");
        });
        assertThat(kept.value("haproxy_backend_http_requests_total", Map.of("proxy", "r_web"))).isEqualTo(4);
        assertThat(kept.value("haproxy_backend_http_responses_total", Map.of("proxy", "r_web", "code", "4xx")))
                .isEqualTo(1);
        assertThat(kept.value("haproxy_frontend_http_requests_total", Map.of("proxy", "gateway"))).isEqualTo(4);
        assertThat(kept.value("haproxy_server_http_responses_total", Map.of("proxy", "r_web", "server", "web_1",
                "code", "2xx"))).isEqualTo(3);
        assertThat(kept.type("haproxy_backend_http_requests_total")).contains("counter");
        assertThat(kept.type("haproxy_process_nbthread")).isEmpty();
    }

    @Test
    void leavesTheExportersOwnFrontendOut() throws IOException {
        PrometheusText kept = PrometheusText.parse(PromexSeries.relabel(captured(), "shop", "promex"));

        assertThat(kept.find("haproxy_frontend_http_requests_total", Map.of("proxy", "promex"))).isEmpty();
        assertThat(kept.samples()).noneMatch(s -> "promex".equals(s.label("proxy")));
    }

    @Test
    void labelsSeriesWithoutLabelsAndEscapesTheStack() {
        String out = PromexSeries.relabel("haproxy_frontend_x 1\nhaproxy_backend_y{} 2\n", "a\"b\\c", "promex");

        PrometheusText kept = PrometheusText.parse(out);
        assertThat(kept.value("haproxy_frontend_x", Map.of("stack", "a\"b\\c"))).isEqualTo(1);
        assertThat(kept.value("haproxy_backend_y", Map.of("stack", "a\"b\\c"))).isEqualTo(2);
    }
}
