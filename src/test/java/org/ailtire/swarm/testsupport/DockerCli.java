package org.ailtire.swarm.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The docker CLI for tests that do what a user or an original ailtire sidecar does with it (the product never shells
 * out to it): {@link #docker} fails the test on a non-zero exit, {@link #dockerQuietly} does not. Meant to be
 * imported statically.
 */
public final class DockerCli {
    private DockerCli() {
    }

    /** What the command printed (stdout and stderr); fails the test when it exits non-zero. */
    public static String docker(String... args) {
        Result result = execute(args);
        assertThat(result.code).as("docker " + String.join(" ", args) + ": " + result.output).isZero();
        return result.output;
    }

    /** What the command printed (stdout and stderr), whatever it exits with. */
    public static String dockerQuietly(String... args) {
        return execute(args).output;
    }

    private record Result(int code, String output) {
    }

    private static Result execute(String... args) {
        List<String> command = new ArrayList<>(List.of("docker"));
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return new Result(process.waitFor(), output);
        } catch (IOException e) {
            throw new UncheckedIOException(String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + String.join(" ", command), e);
        }
    }
}
