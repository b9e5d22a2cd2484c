package org.ailtire.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ContextStoreTest {
    @TempDir
    Path home;

    @Test
    void writesOwnerOnlyFilesThatReadBack() throws Exception {
        ContextStore store = ContextStore.inHome(home);
        Path file = store.write(ControllerContext.of("shop", URI.create("http://localhost:3000"), "t0ken"));

        assertThat(file).isEqualTo(home.resolve(".ailtire/shop.json"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())))
                .isEqualTo("rwx------");
        assertThat(Files.readString(file)).contains("\"url\"", "\"token\"");
        assertThat(store.read("shop")).contains(
                ControllerContext.of("shop", URI.create("http://localhost:3000"), "t0ken"));
        assertThat(store.apps()).containsExactly("shop");
    }

    @Test
    void rewritingReplacesAndDeleteRemoves() throws Exception {
        ContextStore store = ContextStore.inHome(home);
        store.write(ControllerContext.of("shop", URI.create("http://a:1"), "one"));
        store.write(ControllerContext.of("shop", URI.create("http://b:2"), "two"));
        assertThat(store.read("shop").orElseThrow().token()).isEqualTo("two");
        assertThat(store.apps()).containsExactly("shop");

        assertThat(store.delete("shop")).isTrue();
        assertThat(store.delete("shop")).isFalse();
        assertThat(store.read("shop")).isEmpty();
    }

    @Test
    void deployRecordsTheAdminUrlTheCommandsUseAndTheApplicationsUrl() throws Exception {
        ContextStore store = ContextStore.inHome(home);
        store.write(ControllerContext.deployed("shop", URI.create("http://localhost:8081"),
                URI.create("http://localhost:8080"), "t0ken"));

        ControllerContext read = store.read("shop").orElseThrow();
        assertThat(read.url()).isEqualTo(URI.create("http://localhost:8081"));
        assertThat(read.applicationUrl()).contains(URI.create("http://localhost:8080"));
        assertThat(read.client().base()).isEqualTo(URI.create("http://localhost:8081"));
    }

    @Test
    void aContextFromBeforeTheAdminPortStillReads() throws Exception {
        Files.createDirectories(home.resolve(".ailtire"));
        Files.writeString(home.resolve(".ailtire/shop.json"), "{\"url\": \"http://a:1\", \"token\": \"t\"}");
        ControllerContext read = ContextStore.inHome(home).read("shop").orElseThrow();
        assertThat(read.url()).isEqualTo(URI.create("http://a:1"));
        assertThat(read.applicationUrl()).isEmpty();
    }

    @Test
    void appNamesCannotEscapeTheDirectory() {
        assertThatThrownBy(() -> ContextStore.inHome(home).read("../etc"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("app:");
    }

    @Test
    void aBrokenFileIsReportedWithItsPath() throws Exception {
        Files.createDirectories(home.resolve(".ailtire"));
        Files.writeString(home.resolve(".ailtire/shop.json"), "{\"url\": \"http://a:1\"}");
        assertThatThrownBy(() -> ContextStore.inHome(home).read("shop"))
                .hasMessageContaining("shop.json").hasMessageContaining("token");
    }
}
