package org.ailtire.cli;

import org.ailtire.stack.RegistryAuth;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RegistryAuthOptionsTest {
    private static final String DEFINITION = """
            services:
              web:
                image: shop.example.com/web:1
              cache:
                image: redis:7
            """;

    @TempDir
    Path home;

    @Test
    void sendsTheCredentialsOfTheTreesRegistriesAndOfTheControllerImageOnly() throws Exception {
        writeDockerConfig(Map.of("shop.example.com", "ann:web-pw", "ctl.example.com:5000", "bob:ctl-pw",
                "other.example.com", "eve:other-pw"));
        RegistryAuth auth = new RegistryAuthOptions().collect(DEFINITION, Map.of(), List.of(), env(""),
                List.of("ctl.example.com:5000/ailtire/controller:1"));

        assertThat(auth.forRegistry("shop.example.com")).hasValueSatisfying(c -> assertThat(c.username()).isEqualTo("ann"));
        assertThat(auth.forRegistry("ctl.example.com:5000")).hasValueSatisfying(c -> assertThat(c.username()).isEqualTo("bob"));
        assertThat(auth.forRegistry("other.example.com")).as("a registry no image uses").isEmpty();
    }

    @Test
    void aFlagReadsThePasswordFromAFileOrStandardInputAndWinsOverTheConfigFile() throws Exception {
        writeDockerConfig(Map.of("shop.example.com", "ann:old-pw"));
        Path password = Files.writeString(home.resolve("pw"), "new-pw\n");
        RegistryAuthOptions fromFile = new RegistryAuthOptions();
        fromFile.given = List.of("shop.example.com=carl:" + password);
        RegistryAuthOptions fromStdin = new RegistryAuthOptions();
        fromStdin.given = List.of("shop.example.com=dan:-");

        assertThat(fromFile.collect(DEFINITION, Map.of(), List.of(), env(""), List.of())
                .forRegistry("shop.example.com").orElseThrow().password()).isEqualTo("new-pw");
        assertThat(fromStdin.collect(DEFINITION, Map.of(), List.of(), env("stdin-pw\n"), List.of())
                .forRegistry("shop.example.com").orElseThrow().username()).isEqualTo("dan");
    }

    @Test
    void aMalformedFlagIsRefusedWithoutShowingWhatFollowsTheRegistry() {
        RegistryAuthOptions options = new RegistryAuthOptions();
        options.given = List.of("shop.example.com=secret-without-file");

        assertThatThrownBy(() -> options.collect(DEFINITION, Map.of(), List.of(), env(""), List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected REGISTRY=USER:FILE").hasMessageNotContaining("secret-without-file");
    }

    private void writeDockerConfig(Map<String, String> userPasswordByRegistry) throws Exception {
        StringBuilder auths = new StringBuilder();
        userPasswordByRegistry.forEach((registry, userPassword) -> auths.append(auths.isEmpty() ? "" : ",")
                .append("\"").append(registry).append("\": {\"auth\": \"")
                .append(Base64.getEncoder().encodeToString(userPassword.getBytes(StandardCharsets.UTF_8))).append("\"}"));
        Files.createDirectories(home.resolve(".docker"));
        Files.writeString(home.resolve(".docker/config.json"), "{\"auths\": {" + auths + "}}");
    }

    private CliEnvironment env(String stdin) {
        PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        return new CliEnvironment(Map.of(), home, out, out, new BufferedReader(new StringReader(stdin)), false, 100);
    }
}
