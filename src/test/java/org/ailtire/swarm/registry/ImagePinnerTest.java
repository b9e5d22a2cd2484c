package org.ailtire.swarm.registry;

import org.ailtire.definition.DefinitionLoader;
import org.ailtire.definition.StackDefinition;
import org.ailtire.stack.ImageResolution;
import org.ailtire.stack.RegistryAuth;
import org.ailtire.stack.RegistryCredential;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ImagePinnerTest {
    private static final String REG = "127.0.0.1:5000";
    private static final RegistryAuth AUTH = new RegistryAuth(Map.of(REG, new RegistryCredential("alice", "pw")));
    private final List<String> asked = new ArrayList<>();
    private final List<Optional<RegistryCredential>> credentials = new ArrayList<>();

    /** A registry that knows {@code app:1} and {@code app:2}, and nothing local. */
    private final Distribution registry = (image, credential) -> {
        asked.add(image.text());
        credentials.add(credential);
        return switch (image.text()) {
            case REG + "/app:1" -> new Resolution.Digest("sha256:111");
            case REG + "/app:2" -> new Resolution.Digest("sha256:222");
            case REG + "/app:gone" -> new Resolution.Refused("the registry does not know this tag");
            default -> new Resolution.Unresolved("the image is local to this engine");
        };
    };

    private static StackDefinition definition(String webImage) throws Exception {
        return new DefinitionLoader(null).load("""
                services:
                  web: {image: "%s"}
                  tool: {image: "ailtire/busybox:local"}
                """.formatted(webImage), Map.of()).definition();
    }

    private String image(ImagePinner.Pinned pinned, String service) {
        return pinned.definition().services().get(service).image();
    }

    @Test
    void alwaysAsksTheRegistryWithItsCredentialsAndLocalImagesKeepTheirTagWithAWarning() throws Exception {
        var pinned = new ImagePinner(registry).pin(definition(REG + "/app:1"), ImageResolution.ALWAYS, AUTH,
                Map.of("web", REG + "/app:1@sha256:000"));
        assertThat(image(pinned, "web")).isEqualTo(REG + "/app:1@sha256:111");
        assertThat(image(pinned, "tool")).isEqualTo("ailtire/busybox:local");
        assertThat(pinned.warnings()).singleElement().asString().contains("ailtire/busybox:local", "local", "tool");
        assertThat(credentials.get(asked.indexOf(REG + "/app:1"))).contains(AUTH.forRegistry(REG).orElseThrow());
        assertThat(credentials.get(asked.indexOf("ailtire/busybox:local"))).as("Docker Hub has none").isEmpty();
    }

    @Test
    void changedKeepsTheRunningDigestWhenTheReferenceIsTheSameAndResolvesANewOne() throws Exception {
        var same = new ImagePinner(registry).pin(definition(REG + "/app:1"), ImageResolution.CHANGED, AUTH,
                Map.of("web", REG + "/app:1@sha256:000"));
        assertThat(image(same, "web")).isEqualTo(REG + "/app:1@sha256:000");
        assertThat(asked).doesNotContain(REG + "/app:1");

        var moved = new ImagePinner(registry).pin(definition(REG + "/app:2"), ImageResolution.CHANGED, AUTH,
                Map.of("web", REG + "/app:1@sha256:000"));
        assertThat(image(moved, "web")).isEqualTo(REG + "/app:2@sha256:222");
    }

    @Test
    void keptPinsRunAgainWhateverTheModeAndARefreshedServiceAsksItsRegistryAgain() throws Exception {
        Map<String, String> pins = Map.of("web", REG + "/app:1@sha256:000");
        var kept = new ImagePinner(registry).pin(definition(REG + "/app:1"), ImageResolution.ALWAYS, AUTH,
                Map.of("web", REG + "/app:1@sha256:555"), pins, Set.of());
        assertThat(image(kept, "web")).as("the version's digest, not the running one nor the registry's")
                .isEqualTo(REG + "/app:1@sha256:000");
        assertThat(asked).doesNotContain(REG + "/app:1");

        var refreshed = new ImagePinner(registry).pin(definition(REG + "/app:1"), ImageResolution.CHANGED, AUTH,
                Map.of("web", REG + "/app:1@sha256:000"), pins, Set.of("web"));
        assertThat(image(refreshed, "web")).isEqualTo(REG + "/app:1@sha256:111");

        var otherTag = new ImagePinner(registry).pin(definition(REG + "/app:2"), ImageResolution.CHANGED, AUTH,
                Map.of(), pins, Set.of());
        assertThat(image(otherTag, "web")).as("a pin of another reference is not used").isEqualTo(REG + "/app:2@sha256:222");
        assertThat(ImagePinner.pinnedImages(otherTag.definition())).containsExactly(Map.entry("web", REG + "/app:2@sha256:222"));
    }

    @Test
    void aRefreshUnderNeverHandsTheTagToSwarmAsWritten() throws Exception {
        var pinned = new ImagePinner(registry).pin(definition(REG + "/app:1"), ImageResolution.NEVER, AUTH, Map.of(),
                Map.of("web", REG + "/app:1@sha256:000"), Set.of("web"));
        assertThat(image(pinned, "web")).isEqualTo(REG + "/app:1");
        assertThat(asked).isEmpty();
    }

    @Test
    void neverAsksNoRegistry() throws Exception {
        var pinned = new ImagePinner(registry).pin(definition(REG + "/app:1"), ImageResolution.NEVER, AUTH, Map.of());
        assertThat(image(pinned, "web")).isEqualTo(REG + "/app:1");
        assertThat(asked).isEmpty();
    }

    @Test
    void aRefusingRegistryFailsThePinningNamingTheImageAndTheService() {
        assertThatThrownBy(() -> new ImagePinner(registry).pin(definition(REG + "/app:gone"), ImageResolution.ALWAYS,
                AUTH, Map.of()))
                .isInstanceOf(ImagePinner.RefusedImage.class)
                .hasMessageContaining(REG + "/app:gone").hasMessageContaining("service web")
                .hasMessageContaining("does not know this tag").hasMessageContaining("nothing was applied");
    }

    @Test
    void alreadyPinnedImagesAreLeftAsWritten() throws Exception {
        var pinned = new ImagePinner(registry).pin(definition(REG + "/app:1@sha256:999"), ImageResolution.ALWAYS, AUTH,
                Map.of());
        assertThat(image(pinned, "web")).isEqualTo(REG + "/app:1@sha256:999");
        assertThat(asked).doesNotContain(REG + "/app:1@sha256:999");
    }

    @Test
    void engineAnswersAreClassified() throws Exception {
        assertThat(EngineDistribution.classify(200, "{\"Descriptor\":{\"digest\":\"sha256:ab\"}}".getBytes(), true))
                .isEqualTo(new Resolution.Digest("sha256:ab"));
        assertThat(EngineDistribution.classify(401, "{\"message\":\"unauthorized: authentication required\"}".getBytes(),
                true)).isInstanceOf(Resolution.Refused.class).asString().contains("refused the credentials");
        assertThat(EngineDistribution.classify(500, "{\"message\":\"Head x: no basic auth credentials\"}".getBytes(),
                false)).isInstanceOf(Resolution.Refused.class).asString().contains("none were given");
        assertThat(EngineDistribution.classify(404, "{\"message\":\"manifest unknown: manifest unknown\"}".getBytes(),
                true)).isInstanceOf(Resolution.Refused.class).asString().contains("does not know this tag");
        assertThat(EngineDistribution.classify(500, "{\"message\":\"dial tcp: connection refused\"}".getBytes(), true))
                .isInstanceOf(Resolution.Unresolved.class);
    }
}
