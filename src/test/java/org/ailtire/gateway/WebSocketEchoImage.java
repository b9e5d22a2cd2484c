package org.ailtire.gateway;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throw-away image running {@link WebSocketEcho} on port 8000, built locally (no registry) on top of the controller
 * image under test, which brings a JRE and Vert.x in /app/lib. {@link #close()} removes it.
 */
public final class WebSocketEchoImage implements AutoCloseable {
    private final DockerClient docker;
    private final String tag;

    private WebSocketEchoImage(DockerClient docker, String tag) {
        this.docker = docker;
        this.tag = tag;
    }

    /** Builds the image from {@code baseImage}, with the echo server's compiled classes, labelled {@code label}. */
    public static WebSocketEchoImage build(DockerClient docker, String baseImage, Map<String, String> labels,
                                           Path workDir) throws IOException {
        Path classes = compiledClasses();
        Path context = Files.createDirectories(workDir.resolve("ws-echo-image"));
        Path target = Files.createDirectories(context.resolve("classes/org/ailtire/gateway"));
        try (Stream<Path> files = Files.list(classes.resolve("org/ailtire/gateway"))) {
            for (Path file : files.filter(f -> f.getFileName().toString().startsWith("WebSocketEcho.")
                    || f.getFileName().toString().startsWith("WebSocketEcho$")).toList()) {
                Files.copy(file, target.resolve(file.getFileName()));
            }
        }
        Files.writeString(context.resolve("Dockerfile"), """
                FROM %s
                COPY classes/ /echo/
                EXPOSE 8000
                ENTRYPOINT ["java", "-cp", "/echo:/app/lib/*", "%s", "8000"]
                """.formatted(baseImage, WebSocketEcho.class.getName()));
        String tag = "ailtire/it-ws-echo:" + UUID.randomUUID().toString().substring(0, 8);
        docker.buildImageCmd(context.toFile()).withTags(Set.of(tag)).withLabels(labels).withPull(false)
                .start().awaitImageId(3, TimeUnit.MINUTES);
        return new WebSocketEchoImage(docker, tag);
    }

    public String tag() {
        return tag;
    }

    private static Path compiledClasses() {
        try {
            return Path.of(WebSocketEcho.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate the compiled test classes", e);
        }
    }

    @Override
    public void close() {
        try {
            docker.removeImageCmd(tag).withForce(true).exec();
        } catch (NotFoundException gone) {
            // never built, or removed already
        }
    }
}
