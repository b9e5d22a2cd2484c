package org.ailtire.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Route;
import org.ailtire.stack.FakeStack;
import org.ailtire.stack.Json;
import org.junit.jupiter.api.Test;

import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/** The OpenAPI document and the server's routes describe the same API, both ways. */
class OpenApiRoutesTest {

    @Test
    void everyRegisteredRouteIsDocumentedAndEveryDocumentedOneRegistered() throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            var server = new AdminServer(vertx, FakeStack.simple("top"), ServerSettings.of("127.0.0.1", 0, "t"));
            Set<String> registered = new TreeSet<>();
            for (Route route : server.router().getRoutes()) {
                if (route.methods() == null || route.methods().isEmpty() || route.getPath() == null) {
                    continue; // guards (auth, body limit) that apply to many routes
                }
                String path = route.getPath().replaceAll(":([a-zA-Z]+)", "{$1}");
                route.methods().forEach(m -> registered.add(m.name().toLowerCase(Locale.ROOT) + " " + path));
            }

            JsonNode document = Json.MAPPER.readTree(ControlPlane.openApiDocument());
            Set<String> documented = new TreeSet<>();
            document.get("paths").properties().forEach(path -> path.getValue().properties()
                    .forEach(op -> documented.add(op.getKey() + " " + path.getKey())));

            assertThat(registered).isNotEmpty().isEqualTo(documented);
            assertThat(document.get("openapi").asText()).startsWith("3.");
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().join();
        }
    }
}
