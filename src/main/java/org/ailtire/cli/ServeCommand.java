package org.ailtire.cli;

import org.ailtire.controller.Controller;
import org.ailtire.controller.ControllerConfig;
import picocli.CommandLine.Command;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** Runs a stack's controller (inside the controller container; configured by AILTIRE_* variables). */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Run a stack controller (in its container, configured by AILTIRE_* environment variables).")
final class ServeCommand implements Callable<Integer> {
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
        Controller controller = new Controller(config, env.env());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            controller.close();
            stopped.countDown();
        }, "controller-shutdown"));
        controller.start();
        stopped.await();
        return Main.OK;
    }
}
