package org.ailtire.cli;

import org.ailtire.controller.Controller;
import org.ailtire.controller.ControllerConfig;
import picocli.CommandLine.Command;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** Runs a stack's controller (inside the controller container; configured by AILTIRE_* variables). */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Run a stack controller (in its container, configured by AILTIRE_* environment variables).")
final class ServeCommand implements Callable<Integer> {
    /**
     * How long the stop signal waits for the stack's removal: within the minute an original parent gives its child
     * stacks ({@code stop_grace_period: 1m}).
     */
    static final Duration STOP_SIGNAL_BOUND = Duration.ofSeconds(50);
    private final CliEnvironment env;

    ServeCommand(CliEnvironment env) {
        this.env = env;
    }

    @Override
    public Integer call() throws Exception {
        // Controllers find each other by DNS name, and a restarted controller comes back on a new address; the
        // JVM's default 30 s cache of lookups would keep sending to the old one. Set before the first lookup.
        java.security.Security.setProperty("networkaddress.cache.ttl", "1");
        java.security.Security.setProperty("networkaddress.cache.negative.ttl", "0");
        ControllerConfig config;
        try {
            config = ControllerConfig.fromEnvironment(env.env());
        } catch (IllegalArgumentException e) {
            env.err().println("serve: " + e.getMessage());
            return Main.USAGE;
        }
        // Under an original parent, GET /_admin/shutdown ends the process once the stack is removed, as the original.
        Controller controller = new Controller(config, env.env(),
                () -> Thread.ofPlatform().name("controller-exit").start(() -> System.exit(Main.OK)));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            // SIGTERM/SIGINT: under an original parent (its docker stack rm) the stack goes too; otherwise it stays.
            controller.removeStackOnStopSignal(STOP_SIGNAL_BOUND);
            controller.close();
            stopped.countDown();
        }, "controller-shutdown"));
        controller.start();
        stopped.await();
        return Main.OK;
    }
}
