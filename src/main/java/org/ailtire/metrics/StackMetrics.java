package org.ailtire.metrics;

import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.ailtire.stack.ChildRegistry;
import org.ailtire.stack.ServiceTasks;
import org.ailtire.stack.Stack;
import org.ailtire.stack.Status;
import org.ailtire.stack.Update;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;

/**
 * The series of one controller: its own services' tasks, the states of every service and stack of its tree (as its
 * child stacks report them), its child stacks' heartbeats, its updates, its open streams; then the gateway's. Gauges are read from the stack when scraped (nothing is polled);
 * the update counter and histogram grow as updates end. Every series carries the stack's path as {@code stack}.
 */
public final class StackMetrics {
    /** Update durations, in seconds: an update waits for its services to converge, from seconds to minutes. */
    static final double[] UPDATE_BUCKETS = {1, 2.5, 5, 10, 20, 30, 60, 120, 300, 600};

    private final String stackPath;
    private final GatewayMetrics gateway;
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Counter updates;
    private final Histogram updateDuration;
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
    private volatile OpenStreams streams = OpenStreams.NONE;

    /** @param stackPath the stack's path in its tree ({@code /shop/backend}), the {@code stack} label */
    public StackMetrics(Stack stack, String stackPath, Clock clock, GatewayMetrics gateway) {
        this.stackPath = stackPath;
        this.gateway = gateway;
        GaugeWithCallback.builder().name("ailtire_service_desired_tasks")
                .help("Tasks the service should run: its replicas (for a global service, the tasks meant to run)")
                .labelNames("stack", "service")
                .callback(cb -> stack.serviceTasks().forEach(t -> cb.call(t.desired(), stackPath, t.service())))
                .register(registry);
        GaugeWithCallback.builder().name("ailtire_service_running_tasks")
                .help("Tasks of the service running now that are meant to run")
                .labelNames("stack", "service")
                .callback(cb -> stack.serviceTasks().forEach(t -> cb.call(t.running(), stackPath, t.service())))
                .register(registry);
        GaugeWithCallback.builder().name("ailtire_service_state")
                .help("1 for the state the service (or child stack) is in, 0 for the others; the whole tree below"
                        + " this stack, as its child stacks last reported")
                .labelNames("stack", "service", "type", "state")
                .callback(cb -> serviceStates(stack.status(), stackPath, cb))
                .register(registry);
        GaugeWithCallback.builder().name("ailtire_stack_state")
                .help("1 for the state this stack's controller is in, 0 for the others")
                .labelNames("stack", "state")
                .callback(cb -> states(stack.status().state(), (value, state) -> cb.call(value, stackPath, state)))
                .register(registry);
        GaugeWithCallback.builder().name("ailtire_child_heartbeat_age_seconds")
                .help("Seconds since the child stack's controller last reported (its heartbeat)")
                .labelNames("stack", "service")
                .callback(cb -> {
                    for (ChildRegistry.Child child : stack.children().children()) {
                        double age = Duration.between(child.lastSeen(), clock.instant()).toMillis() / 1000.0;
                        cb.call(Math.max(0, age), stackPath, child.registration().name());
                    }
                })
                .register(registry);
        GaugeWithCallback.builder().name("ailtire_log_follows_open")
                .help("Followed logs the control plane streams now")
                .labelNames("stack")
                .callback(cb -> cb.call(streams.logFollows().getAsInt(), stackPath))
                .register(registry);
        GaugeWithCallback.builder().name("ailtire_event_streams_open")
                .help("Server-sent event streams open now, by kind (status, update)")
                .labelNames("stack", "stream")
                .callback(cb -> {
                    cb.call(streams.statusStreams().getAsInt(), stackPath, "status");
                    cb.call(streams.updateStreams().getAsInt(), stackPath, "update");
                })
                .register(registry);
        updates = Counter.builder().name("ailtire_updates_total")
                .help("Updates (and repairs) that ended, by kind and outcome")
                .labelNames("stack", "kind", "outcome")
                .register(registry);
        updateDuration = Histogram.builder().name("ailtire_update_duration_seconds")
                .help("How long updates (and repairs) took, from their start to their end")
                .labelNames("stack", "kind", "outcome")
                .classicOnly().classicUpperBounds(UPDATE_BUCKETS)
                .register(registry);
        stack.onUpdateFinished(this::updateFinished);
    }

    /** The series of a stack named by its own name, without a gateway exporter (a control plane alone, in tests). */
    public static StackMetrics of(Stack stack) {
        return new StackMetrics(stack, stack.name(), Clock.systemUTC(), GatewayMetrics.NONE);
    }

    /** The control plane's open streams, read at each scrape from now on. */
    public void observeStreams(OpenStreams open) {
        streams = open;
    }

    /** The stack's path in its tree, the {@code stack} label of every series. */
    public String stackPath() {
        return stackPath;
    }

    /** Every series now, in the Prometheus text format (version 0.0.4): the controller's, then the gateway's. */
    public String scrape() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            writer.write(out, registry.scrape(), EscapingScheme.UNDERSCORE_ESCAPING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(StandardCharsets.UTF_8) + gateway.scrape();
    }

    private void updateFinished(String kind, Update.View outcome) {
        String result = outcome.state() == Update.State.SUCCEEDED ? "succeeded" : "failed";
        updates.labelValues(stackPath, kind, result).inc();
        if (outcome.finishedAt() != null) {
            double seconds = Duration.between(outcome.startedAt(), outcome.finishedAt()).toMillis() / 1000.0;
            updateDuration.labelValues(stackPath, kind, result).observe(Math.max(0, seconds));
        }
    }

    /** The state of every service and child stack in {@code stack}'s tree, each under the path of its stack. */
    private static void serviceStates(Status stack, String path, GaugeWithCallback.Callback cb) {
        for (Status child : stack.children()) {
            String type = child.type().name().toLowerCase(Locale.ROOT);
            states(child.state(), (value, state) -> cb.call(value, path, child.name(), type, state));
            if (child.type() == Status.Type.STACK) {
                serviceStates(child, path + "/" + child.name(), cb);
            }
        }
    }

    /** Receives one state's value: 1 for the current state, 0 for the others. */
    @FunctionalInterface
    private interface StateValue {
        void accept(double value, String state);
    }

    /** Hands every state (lower case, as the status shows it) with 1 for {@code current} and 0 for the others. */
    private static void states(Status.State current, StateValue to) {
        for (Status.State state : Status.State.values()) {
            to.accept(state == current ? 1 : 0, state.name().toLowerCase(Locale.ROOT));
        }
    }
}
