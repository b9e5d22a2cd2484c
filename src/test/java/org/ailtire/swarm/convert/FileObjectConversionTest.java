package org.ailtire.swarm.convert;

import com.github.dockerjava.api.model.ContainerSpec;
import com.github.dockerjava.api.model.ContainerSpecConfig;
import com.github.dockerjava.api.model.ContainerSpecSecret;
import org.ailtire.definition.ConfigDefinition;
import org.ailtire.definition.DefinitionException;
import org.ailtire.definition.SecretDefinition;
import org.ailtire.definition.ServiceDefinition.FileReference;
import org.ailtire.definition.StackDefinition;
import org.ailtire.swarm.Labels;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.ailtire.swarm.convert.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

class FileObjectConversionTest {
    private static final byte[] NGINX_CONF = "server {}\n".getBytes(StandardCharsets.UTF_8);
    /** First 10 hex digits of sha256("server {}\n"). */
    private static final String NGINX_CONF_HASH = EngineNames.sha256Hex(NGINX_CONF).substring(0, 10);

    private static ConfigDefinition content(byte[] data) {
        return new ConfigDefinition(data, false, null, Map.of());
    }

    @Test
    void configIsNamedAfterNamespaceKeyAndContentHashAndCarriesItsData() throws Exception {
        Conversion conversion = convert(stack()
                .config("nginx", new ConfigDefinition(NGINX_CONF, false, null, Map.of("role", "proxy")))
                .service("web", service()).build());

        FileResource config = conversion.resources().configs().getFirst();
        assertThat(config.name()).isEqualTo("shop_nginx_" + NGINX_CONF_HASH).hasSize("shop_nginx_".length() + 10);
        assertThat(config.key()).isEqualTo("nginx");
        assertThat(config.external()).isFalse();
        assertThat(config.data()).isEqualTo(NGINX_CONF);
        assertThat(config.labels()).containsOnly(entry("role", "proxy"), entry(Labels.NAMESPACE, "shop"),
                entry(Labels.MANAGED, "true"), entry(Labels.STACK_PATH, "/app/shop"), entry(Labels.KEY, "nginx"));
    }

    @Test
    void knownSha256PrefixIsUsed() {
        // sha256("abc") = ba7816bf8f01cfea...
        assertThat(EngineNames.contentAddressed("shop_x", "abc".getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo("shop_x_ba7816bf8f");
    }

    @Test
    void newContentIsANewNameAndSameContentTheSameName() throws Exception {
        String first = convert(stack().config("c", content(NGINX_CONF)).service("web", service()).build())
                .resources().configs().getFirst().name();
        String same = convert(stack().config("c", content(NGINX_CONF.clone())).service("web", service()).build())
                .resources().configs().getFirst().name();
        String changed = convert(stack().config("c", content("server { listen 81; }\n".getBytes(StandardCharsets.UTF_8)))
                .service("web", service()).build()).resources().configs().getFirst().name();

        assertThat(same).isEqualTo(first);
        assertThat(changed).isNotEqualTo(first).startsWith("shop_c_");
    }

    @Test
    void longNamesAreCutToSixtyFourCharactersAndStayDistinct() throws Exception {
        String keyA = "a".repeat(70) + "-one";
        String keyB = "a".repeat(70) + "-two";
        Conversion conversion = convert(stack().config(keyA, content(NGINX_CONF)).config(keyB, content(NGINX_CONF))
                .service("web", service()).build());

        assertThat(conversion.resources().configs()).extracting(FileResource::name)
                .allSatisfy(name -> assertThat(name).hasSize(64).matches("[a-zA-Z0-9][a-zA-Z0-9_.-]*[a-zA-Z0-9]"))
                .doesNotHaveDuplicates();
    }

    @Test
    void explicitNameIsTheBaseOfTheContentAddressedName() throws Exception {
        FileResource config = convert(stack().config("c", new ConfigDefinition(NGINX_CONF, false, "site-conf", Map.of()))
                .service("web", service()).build()).resources().configs().getFirst();

        assertThat(config.name()).isEqualTo("site-conf_" + NGINX_CONF_HASH);
    }

    @Test
    void externalConfigsAndSecretsAreReferencedByNameWithoutData() throws Exception {
        Conversion conversion = convert(stack()
                .config("ext", new ConfigDefinition(null, true, null, Map.of()))
                .config("extnamed", new ConfigDefinition(null, true, "global-conf", Map.of()))
                .secret("token", new SecretDefinition(null, true, "app-token", Map.of()))
                .service("web", service()
                        .config(new FileReference("extnamed", null, null, null, null))
                        .secret(new FileReference("token", null, null, null, null)))
                .build());

        assertThat(conversion.resources().configs()).containsExactly(
                new FileResource("ext", "ext", true, null, Map.of()),
                new FileResource("global-conf", "extnamed", true, null, Map.of()));
        assertThat(conversion.resources().secrets()).containsExactly(
                new FileResource("app-token", "token", true, null, Map.of()));
        ContainerSpec container = only(conversion).spec().getTaskTemplate().getContainerSpec();
        assertThat(container.getConfigs().getFirst().getConfigName()).isEqualTo("global-conf");
        assertThat(container.getSecrets().getFirst().getSecretName()).isEqualTo("app-token");
    }

    @Test
    void configReferenceDefaultsToTheKeyRootOwnedMode0444AndNamesTheObjectWithoutId() throws Exception {
        ContainerSpecConfig reference = only(convert(stack().config("nginx", content(NGINX_CONF))
                .service("web", service().config(new FileReference("nginx", null, null, null, null))).build()))
                .spec().getTaskTemplate().getContainerSpec().getConfigs().getFirst();

        assertThat(reference.getConfigName()).isEqualTo("shop_nginx_" + NGINX_CONF_HASH);
        assertThat(reference.getConfigID()).isNull();
        // As docker stack deploy sends it: the engine places a relative target at the root (/nginx).
        assertThat(reference.getFile().getName()).isEqualTo("nginx");
        assertThat(reference.getFile().getUid()).isEqualTo("0");
        assertThat(reference.getFile().getGid()).isEqualTo("0");
        assertThat(reference.getFile().getMode()).isEqualTo(0444L);
    }

    @Test
    void secretReferenceDefaultsToTheKeyThatTheEnginePutsUnderRunSecrets() throws Exception {
        ContainerSpecSecret reference = only(convert(stack().secret("db", new SecretDefinition("pw".getBytes(), false,
                        null, Map.of()))
                .service("web", service().secret(new FileReference("db", null, null, null, null))).build()))
                .spec().getTaskTemplate().getContainerSpec().getSecrets().getFirst();

        assertThat(reference.getSecretName()).startsWith("shop_db_");
        assertThat(reference.getSecretId()).isNull();
        assertThat(reference.getFile().getName()).isEqualTo("db");
        assertThat(reference.getFile().getUid()).isEqualTo("0");
        assertThat(reference.getFile().getMode()).isEqualTo(0444L);
    }

    @Test
    void explicitTargetOwnerAndModeAreKept() throws Exception {
        ContainerSpecConfig reference = only(convert(stack().config("nginx", content(NGINX_CONF))
                .service("web", service().config(new FileReference("nginx", "/etc/nginx/nginx.conf", "101", "102", 0400)))
                .build())).spec().getTaskTemplate().getContainerSpec().getConfigs().getFirst();

        assertThat(reference.getFile().getName()).isEqualTo("/etc/nginx/nginx.conf");
        assertThat(reference.getFile().getUid()).isEqualTo("101");
        assertThat(reference.getFile().getGid()).isEqualTo("102");
        assertThat(reference.getFile().getMode()).isEqualTo(0400L);
    }

    @Test
    void referencesAreSortedByNameLikeTheDockerCli() throws Exception {
        StackDefinition definition = stack().config("zeta", content(NGINX_CONF)).config("alpha", content(NGINX_CONF))
                .service("web", service().config(new FileReference("zeta", null, null, null, null))
                        .config(new FileReference("alpha", null, null, null, null)))
                .build();

        assertThat(only(convert(definition)).spec().getTaskTemplate().getContainerSpec().getConfigs())
                .extracting(ContainerSpecConfig::getConfigName)
                .containsExactly("shop_alpha_" + NGINX_CONF_HASH, "shop_zeta_" + NGINX_CONF_HASH);
    }

    @Test
    void undefinedReferencesAreErrorsAtTheirPaths() {
        assertThatThrownBy(() -> convert(single(service()
                .config(new FileReference("nope", null, null, null, null))
                .secret(new FileReference("nada", null, null, null, null)))))
                .isInstanceOfSatisfying(DefinitionException.class, e -> assertThat(e.problems())
                        .extracting(p -> p.path() + ": " + p.message())
                        .containsExactly(
                                "services.web.configs[0]: undefined config \"nope\": declare it under the top-level configs",
                                "services.web.secrets[0]: undefined secret \"nada\": declare it under the top-level secrets"));
    }

    @Test
    void configWithoutDataIsOneErrorNotAlsoAnUndefinedReference() {
        assertThatThrownBy(() -> convert(stack().config("empty", new ConfigDefinition(null, false, null, Map.of()))
                .service("web", service().config(new FileReference("empty", null, null, null, null))).build()))
                .isInstanceOfSatisfying(DefinitionException.class, e -> assertThat(e.problems()).singleElement()
                        .satisfies(p -> assertThat(p.path()).isEqualTo("configs.empty")));
    }

    @Test
    void secretDataIsNeverPrinted() throws Exception {
        FileResource secret = convert(stack().secret("pw", new SecretDefinition("hunter2".getBytes(), false, null,
                Map.of())).service("web", service()).build()).resources().secrets().getFirst();

        assertThat(secret.toString()).doesNotContain("hunter2");
        assertThat(secret.data()).isEqualTo("hunter2".getBytes());
    }
}
