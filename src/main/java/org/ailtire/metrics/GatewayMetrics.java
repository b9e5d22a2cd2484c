package org.ailtire.metrics;

/** The gateway's own series, in the Prometheus text format, appended to the controller's. */
@FunctionalInterface
public interface GatewayMetrics {
    /** A controller without a gateway exporter. */
    GatewayMetrics NONE = () -> "";

    /** The series now, each line ended by a newline; empty when there are none. Never throws. */
    String scrape();
}
