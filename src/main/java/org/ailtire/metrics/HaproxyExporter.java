package org.ailtire.metrics;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The gateway's series from HAProxy's built-in Prometheus exporter, which listens on loopback inside the controller
 * only ({@link org.ailtire.dataplane.HaproxyConfig}); scraped at each scrape of {@code /metrics} and relabelled by
 * {@link PromexSeries}. When HAProxy does not answer, a comment line says so and the controller's series still go out.
 */
public final class HaproxyExporter implements GatewayMetrics {
    private static final Logger LOG = LoggerFactory.getLogger(HaproxyExporter.class);
    static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final URI uri;
    private final String stack;
    private final String exporterFrontend;
    private final HttpClient http;

    /** @param port the exporter's port on 127.0.0.1 */
    public HaproxyExporter(int port, String stack, String exporterFrontend) {
        // Only the series kept are asked for (the exporter's scope parameter).
        this.uri = URI.create("http://127.0.0.1:" + port + "/metrics?scope=frontend&scope=backend&scope=server");
        this.stack = stack;
        this.exporterFrontend = exporterFrontend;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(TIMEOUT).build();
    }

    @Override
    public String scrape() {
        try {
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() != 200) {
                return unavailable("HTTP " + answer.statusCode());
            }
            return PromexSeries.relabel(answer.body(), stack, exporterFrontend);
        } catch (IOException e) {
            return unavailable(e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return unavailable("interrupted");
        }
    }

    private String unavailable(String why) {
        LOG.debug("the gateway's exporter at {} did not answer: {}", uri, why);
        return "# the gateway's HAProxy exporter did not answer: " + why.replace('\n', ' ') + "\n";
    }
}
