package org.ailtire.cli;

import org.ailtire.stack.RegistryCredential;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class DockerConfigAuthTest {
    @TempDir
    Path dir;

    private static String auth(String userPassword) {
        return Base64.getEncoder().encodeToString(userPassword.getBytes());
    }

    @Test
    void readsAuthsByNormalizedRegistryAndWarnsAboutHelpers() throws Exception {
        Path file = Files.writeString(dir.resolve("config.json"), """
                {"auths": {
                   "https://index.docker.io/v1/": {"auth": "%s"},
                   "127.0.0.1:5000": {"auth": "%s"},
                   "broken.example.com": {"auth": "bm8tY29sb24="},
                   "helped.example.com": {}},
                 "credHelpers": {"helped.example.com": "ecr-login"}}
                """.formatted(auth("hubuser:hub:pw"), auth("alice:s3cret")));
        DockerConfigAuth read = DockerConfigAuth.read(file);
        assertThat(read.registries()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "docker.io", new RegistryCredential("hubuser", "hub:pw"),
                "127.0.0.1:5000", new RegistryCredential("alice", "s3cret")));
        assertThat(read.warnings()).hasSize(2)
                .anySatisfy(w -> assertThat(w).contains("helped.example.com", "ecr-login", "--registry-auth"))
                .anySatisfy(w -> assertThat(w).contains("broken.example.com", "not user:password"))
                .noneSatisfy(w -> assertThat(w).contains("s3cret"));
    }

    @Test
    void theFileComesFromDockerConfigElseTheHomeAndAMissingOneHoldsNothing() throws Exception {
        assertThat(DockerConfigAuth.file(Map.of("DOCKER_CONFIG", "/etc/dc"), dir)).isEqualTo(Path.of("/etc/dc/config.json"));
        assertThat(DockerConfigAuth.file(Map.of(), dir)).isEqualTo(dir.resolve(".docker/config.json"));
        assertThat(DockerConfigAuth.read(dir.resolve("absent.json")).registries()).isEmpty();
    }

    @Test
    void onlyTheRegistriesOfTheTreesImagesAreSent() {
        String tree = """
                services:
                  web: {image: "127.0.0.1:5000/web:1"}
                  backend:
                    x-ailtire:
                      stack: "services: {db: {image: 'registry.example.com/db:2'}}"
                """;
        assertThat(RegistryAuthOptions.registries(tree, Map.of(), List.of()))
                .containsExactly("127.0.0.1:5000", "docker.io", "registry.example.com");
    }
}
