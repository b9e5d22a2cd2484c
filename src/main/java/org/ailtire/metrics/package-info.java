/**
 * The controller's metrics in the Prometheus text format ({@code GET /metrics} on the admin listener): the stack's
 * services and updates ({@link StackMetrics}), the control plane's open streams ({@link OpenStreams}) and the
 * gateway's HAProxy, whose own exporter is scraped on loopback and appended ({@link HaproxyExporter},
 * {@link PromexSeries}). The series are listed in {@code docs/metrics.md}.
 */
package org.ailtire.metrics;
