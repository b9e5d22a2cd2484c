package org.ailtire.controller;

import org.ailtire.swarm.testsupport.TestSwarm;
import org.ailtire.swarm.topology.ControllerSettings;
import org.ailtire.swarm.topology.StackPlace;

import org.ailtire.stack.ImageResolution;
import org.ailtire.swarm.observe.TaskResync;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * A real {@link Controller} started in this JVM for a stack of its own ({@code it-rel-xxxx}, no parent, no
 * definition), on the real engine, with a fresh token; requests go to it over loopback. {@link #close()} stops it
 * and removes everything labelled with its namespace.
 */
final class InProcessController implements AutoCloseable {
    private final String namespace = "it-rel-" + UUID.randomUUID().toString().substring(0, 6);
    private final String token;
    private final Path temp;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final TestSwarm swarm;
    private Controller controller;
    private int port;

    InProcessController(Path temp) throws Exception {
        this(temp, null);
    }

    /** @param givenDefinition the definition it is started with, as a parent would give it (null: none) */
    InProcessController(Path temp, String givenDefinition) throws Exception {
        this.temp = temp;
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        token = HexFormat.of().formatHex(random);
        Files.writeString(temp.resolve("token"), token);
        swarm = TestSwarm.of(namespace);
        start(givenDefinition);
    }

    private void start(String givenDefinition) throws Exception {
        Optional<Path> definitionFile = Optional.empty();
        if (givenDefinition != null) {
            definitionFile = Optional.of(Files.writeString(temp.resolve("definition.yml"), givenDefinition));
        }
        StackPlace place = new StackPlace(namespace, namespace, "/" + namespace, namespace + "-root_" + namespace);
        ControllerConfig config = new ControllerConfig(place, 0, 0, Optional.empty(), 0, token,
                new ControllerSettings(ControllerSettings.DEFAULT_IMAGE, ControllerSettings.DEFAULT_ADMIN_PORT,
                        ControllerSettings.DEFAULT_GATEWAY_PORT,
                        namespace + "-root_token", "dnsrr", "/var/run/docker.sock", ImageResolution.ALWAYS),
                definitionFile, Optional.empty(), ControllerConfig.DEFAULT_HISTORY_KEEP, TaskResync.DEFAULT,
                Optional.empty());
        controller = new Controller(config, Map.of("AILTIRE_ENDPOINT_MODE", "dnsrr"));
        port = controller.start();
    }

    /**
     * Stops this controller, leaving its stack on the engine, and starts a new one for the same stack, as swarm
     * restarts a controller task (on another port).
     */
    void restart(String givenDefinition) throws Exception {
        controller.close();
        start(givenDefinition);
    }

    String namespace() {
        return namespace;
    }

    String token() {
        return token;
    }

    Controller controller() {
        return controller;
    }

    /** Labelled objects of this stack's namespace on the engine (only read: closing a TestSwarm removes them). */
    List<String> engineObjects() {
        return swarm.leftovers();
    }

    HttpRequest.Builder request(String pathAndQuery) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery)).timeout(Duration.ofSeconds(30));
    }

    HttpRequest.Builder authorized(String pathAndQuery) {
        return request(pathAndQuery).header("Authorization", "Bearer " + token);
    }

    HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    HttpClient http() {
        return http;
    }

    @Override
    public void close() {
        try {
            controller.close();
        } finally {
            http.close();
            swarm.close(); // removes everything labelled with the namespace
        }
    }
}
