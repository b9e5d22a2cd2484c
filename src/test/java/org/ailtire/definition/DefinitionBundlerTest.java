package org.ailtire.definition;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The CLI makes one definition of a tree of files: child stacks named by file travel inline, to any depth. */
class DefinitionBundlerTest {
    @TempDir
    Path directory;

    @Test
    void childFilesAreInlinedRecursively() throws Exception {
        Files.writeString(directory.resolve("top.yml"), """
                services:
                  backend:
                    x-ailtire: {stack: backend.yml, path: /shelf}
                """);
        Files.createDirectory(directory.resolve("backend"));
        Files.writeString(directory.resolve("backend.yml"), """
                services:
                  db:
                    x-ailtire: {stack: backend/db.yaml}
                """);
        Files.writeString(directory.resolve("backend/db.yaml"), "services: {store: {image: \"busybox:${TAG}\"}}\n");

        StackDefinition top = new DefinitionLoader(null).load(DefinitionBundler.bundle(directory.resolve("top.yml")),
                Map.of()).definition();

        ChildStackReference backend = top.services().get("backend").ailtire().stack().orElseThrow();
        assertThat(backend.path()).isEqualTo("/shelf");
        ChildStackReference db = new DefinitionLoader(null).load(backend.definition(), Map.of()).definition()
                .services().get("db").ailtire().stack().orElseThrow();
        assertThat(db.definition()).isEqualTo("services: {store: {image: \"busybox:${TAG}\"}}\n");
    }

    @Test
    void aChildFileOutsideTheDirectoryIsRefused() throws Exception {
        Path top = Files.createDirectory(directory.resolve("app")).resolve("top.yml");
        Files.writeString(top, "services: {backend: {x-ailtire: {stack: ../secret.yml}}}\n");
        Files.writeString(directory.resolve("secret.yml"), "services: {x: {image: busybox}}\n");

        assertThatThrownBy(() -> DefinitionBundler.bundle(top)).isInstanceOf(DefinitionException.class)
                .hasMessageContaining("services.backend.x-ailtire.stack: file ../secret.yml is outside");
    }

    @Test
    void aDefinitionWithoutChildFilesIsLeftAsWritten() throws Exception {
        String text = "services:\n  web: {image: nginx, x-ailtire: {routes: [{path: /, port: 80}]}}  # kept\n";
        Files.writeString(directory.resolve("top.yml"), text);
        assertThat(DefinitionBundler.bundle(directory.resolve("top.yml"))).isEqualTo(text);
    }

    @Test
    void aChildsAutoRedeployTravelsInItsInlinedDefinitionAndIsInterpolatedByTheChild() throws Exception {
        Files.writeString(directory.resolve("top.yml"), """
                services:
                  web: {image: "nginx:1.27", x-ailtire: {auto_redeploy: 10m}}
                  backend: {x-ailtire: {stack: backend.yml}}
                """);
        Files.writeString(directory.resolve("backend.yml"),
                "services: {api: {image: \"busybox:1.36\", x-ailtire: {auto_redeploy: \"${EVERY:-5m}\"}}}\n");

        StackDefinition top = new DefinitionLoader(null).load(DefinitionBundler.bundle(directory.resolve("top.yml")),
                Map.of("EVERY", "1m")).definition();

        assertThat(top.services().get("web").ailtire().autoRedeploy()).contains(Duration.ofMinutes(10));
        String child = top.services().get("backend").ailtire().stack().orElseThrow().definition();
        assertThat(child).contains("${EVERY:-5m}");
        assertThat(new DefinitionLoader(null).load(child, Map.of()).definition().services().get("api").ailtire()
                .autoRedeploy()).contains(Duration.ofMinutes(5));
    }
}
