package org.ailtire.definition;

import org.ailtire.stack.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The files a local tree names travel with it, and a controller loads the tree from them alone. */
class DefinitionFilesTest {
    @TempDir
    Path directory;

    private static final String TOP = """
            services:
              web:
                image: x
                env_file: web.env
                configs: [app]
                secrets: [dbpass]
              backend:
                x-ailtire: {stack: backend/stack.yml}
            configs:
              app: {file: ./conf/app.conf}
            secrets:
              dbpass: {file: secrets/db.txt}
            """;
    private static final String CHILD = """
            services:
              api: {image: x, secrets: [token], env_file: [api.env]}
            secrets:
              token: {file: token.txt}
            """;

    private void writeTree() throws Exception {
        Files.createDirectories(directory.resolve("conf"));
        Files.createDirectories(directory.resolve("secrets"));
        Files.createDirectories(directory.resolve("backend"));
        Files.writeString(directory.resolve("stack.yml"), TOP);
        Files.writeString(directory.resolve("web.env"), "GREETING=hello\n");
        Files.writeString(directory.resolve("conf/app.conf"), "listen 80\n");
        Files.writeString(directory.resolve("secrets/db.txt"), "s3cret-top");
        Files.writeString(directory.resolve("backend/stack.yml"), CHILD);
        Files.writeString(directory.resolve("backend/api.env"), "MODE=api\n");
        Files.writeString(directory.resolve("backend/token.txt"), "s3cret-child");
    }

    @Test
    void everyLevelsFilesAreReadRelativeToItsOwnFile() throws Exception {
        writeTree();
        DefinitionBundler.Bundle bundle = DefinitionBundler.bundleWithFiles(directory.resolve("stack.yml"));
        DefinitionFiles files = bundle.files();
        assertThat(files.stacks().keySet()).containsExactly("", "backend");
        assertThat(files.stacks().get("").keySet()).containsExactly("conf/app.conf", "secrets/db.txt", "web.env");
        assertThat(files.stacks().get("backend").keySet()).containsExactly("api.env", "token.txt");
        assertThat(new String(files.child("backend").own("./token.txt"), StandardCharsets.UTF_8)).isEqualTo("s3cret-child");
        assertThat(bundle.definition()).doesNotContain("s3cret");
        assertThat(files.toString()).doesNotContain("s3cret").contains("backend:token.txt=12 bytes");
    }

    @Test
    void aDefinitionFromTheNetworkLoadsFromTheFilesSentWithIt() throws Exception {
        writeTree();
        DefinitionBundler.Bundle bundle = DefinitionBundler.bundleWithFiles(directory.resolve("stack.yml"));
        // Through JSON, as the CLI sends it.
        DefinitionFiles sent = Json.MAPPER.readValue(Json.MAPPER.writeValueAsString(bundle.files()), DefinitionFiles.class);
        assertThat(sent).isEqualTo(bundle.files());
        StackDefinition top = DefinitionLoader.withFiles(sent).load(bundle.definition(), Map.of()).definition();
        assertThat(top.secrets().get("dbpass").content().data()).isEqualTo("s3cret-top".getBytes(StandardCharsets.UTF_8));
        assertThat(top.configs().get("app").data()).isEqualTo("listen 80\n".getBytes(StandardCharsets.UTF_8));
        assertThat(top.services().get("web").environment()).containsEntry("GREETING", "hello");
        StackDefinition child = DefinitionLoader.withFiles(sent.child("backend")).load(CHILD, Map.of()).definition();
        assertThat(child.secrets().get("token").content().data()).isEqualTo("s3cret-child".getBytes(StandardCharsets.UTF_8));
        assertThat(child.services().get("api").environment()).containsEntry("MODE", "api");
    }

    @Test
    void aFileNotSentIsRefusedNamingItsPath() {
        DefinitionFiles sent = DefinitionFiles.of(Map.of("", Map.of("other.txt", new byte[]{1})));
        assertThatThrownBy(() -> DefinitionLoader.withFiles(sent).load(TOP.replace("    x-ailtire: {stack: backend/stack.yml}\n",
                "    image: y\n"), Map.of()))
                .isInstanceOfSatisfying(DefinitionException.class, e -> assertThat(e.problems()).extracting(Problem::path)
                        .containsExactlyInAnyOrder("services.web.env_file", "configs.app.file", "secrets.dbpass.file"))
                .hasMessageContaining("secrets.dbpass.file: refused: file reference \"secrets/db.txt\" in a definition "
                        + "received over the network without the file");
    }

    @Test
    void aPathOutsideItsStacksDirectoryIsRefusedAtEveryLevel() throws Exception {
        writeTree();
        Files.writeString(directory.resolve("backend/stack.yml"), CHILD.replace("token.txt", "../secrets/db.txt"));
        Files.writeString(directory.resolve("stack.yml"), TOP.replace("secrets/db.txt", "../x"));
        assertThatThrownBy(() -> DefinitionBundler.bundleWithFiles(directory.resolve("stack.yml")))
                .isInstanceOfSatisfying(DefinitionException.class, e -> assertThat(e.problems()).extracting(Problem::toString)
                        .containsExactlyInAnyOrder(
                                "secrets.dbpass.file: refused: \"../x\" is outside the definition's directory",
                                "services.backend.x-ailtire.stack.secrets.token.file: refused: \"../secrets/db.txt\" "
                                        + "is outside the definition's directory"));
    }

    @Test
    void aConfigOrSecretLargerThanSwarmAllowsIsRefusedNamingItsKey() throws Exception {
        writeTree();
        Files.write(directory.resolve("secrets/db.txt"), new byte[500 * 1024 + 1]);
        assertThatThrownBy(() -> DefinitionBundler.bundleWithFiles(directory.resolve("stack.yml")))
                .isInstanceOfSatisfying(DefinitionException.class, e -> assertThat(e.problems()).extracting(Problem::path)
                        .contains("secrets.dbpass.file"))
                .hasMessageContaining("512001 bytes; swarm allows at most 512000");
        // The controller checks the same, whatever sent it.
        DefinitionFiles sent = DefinitionFiles.of(Map.of("", Map.of("big", new byte[500 * 1024 + 1])));
        assertThatThrownBy(() -> DefinitionLoader.withFiles(sent).load("""
                services: {web: {image: x}}
                configs: {big: {file: big}}
                """, Map.of())).hasMessageContaining("configs.big.file: the content is 512001 bytes");
    }

    @Test
    void variablesInAFileNameAreRefusedByTheCli() throws Exception {
        writeTree();
        Files.writeString(directory.resolve("stack.yml"), TOP.replace("secrets/db.txt", "'${DB_FILE}'"));
        assertThatThrownBy(() -> DefinitionBundler.bundleWithFiles(directory.resolve("stack.yml")))
                .hasMessageContaining("secrets.dbpass.file: \"${DB_FILE}\": the CLI sends the files");
    }

    @Test
    void changesNameFilesNeverContent() {
        DefinitionFiles before = DefinitionFiles.of(Map.of("", Map.of("a.txt", "one".getBytes(), "b.txt", "x".getBytes()),
                "backend", Map.of("db.txt", "old-secret".getBytes())));
        DefinitionFiles after = DefinitionFiles.of(Map.of("", Map.of("a.txt", "one".getBytes(), "c.txt", "y".getBytes()),
                "backend", Map.of("db.txt", "new-secret".getBytes())));
        assertThat(after.changesFrom(before)).containsExactly("removed: b.txt", "added: c.txt", "changed: backend:db.txt");
        assertThat(after.changesFrom(after)).isEmpty();
    }

    @Test
    void aChildsFilesMoveUpAndDownTheTree() {
        DefinitionFiles tree = DefinitionFiles.of(Map.of("", Map.of("a", new byte[]{1}), "backend", Map.of("b", new byte[]{2}),
                "backend/db", Map.of("c", new byte[]{3}), "backendx", Map.of("d", new byte[]{4})));
        DefinitionFiles backend = tree.child("backend");
        assertThat(backend.stacks().keySet()).containsExactly("", "db");
        assertThat(backend.under("backend")).isEqualTo(DefinitionFiles.of(Map.of("backend", Map.of("b", new byte[]{2}),
                "backend/db", Map.of("c", new byte[]{3}))));
        assertThat(tree.child("web")).isEqualTo(DefinitionFiles.NONE);
        assertThat(DefinitionFiles.key("./a/../b.txt")).isEqualTo("b.txt");
        assertThat(DefinitionFiles.key("../b.txt")).isNull();
        assertThat(DefinitionFiles.key("/etc/passwd")).isNull();
    }
}
