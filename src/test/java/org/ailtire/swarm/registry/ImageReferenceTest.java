package org.ailtire.swarm.registry;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class ImageReferenceTest {
    @ParameterizedTest
    @CsvSource({
            "busybox, docker.io, busybox, ",
            "ailtire/busybox:local, docker.io, ailtire/busybox, local",
            "library/nginx:1.25, docker.io, library/nginx, 1.25",
            "docker.io/team/app:2, docker.io, docker.io/team/app, 2",
            "index.docker.io/team/app, docker.io, index.docker.io/team/app, ",
            "localhost/app:1, localhost, localhost/app, 1",
            "localhost:5000/app, localhost:5000, localhost:5000/app, ",
            "127.0.0.1:5000/ailtire/busybox:it, 127.0.0.1:5000, 127.0.0.1:5000/ailtire/busybox, it",
            "registry.example.com/a/b/c:v1, registry.example.com, registry.example.com/a/b/c, v1",
            "team:x/app, team:x, team:x/app, ",
    })
    void registryIsThePartBeforeTheFirstSlashWhenItLooksLikeAHost(String text, String registry, String repository,
                                                                  String tag) {
        ImageReference image = ImageReference.parse(text);
        assertThat(image.registry()).isEqualTo(registry);
        assertThat(image.repository()).isEqualTo(repository);
        assertThat(image.tag()).isEqualTo(tag);
        assertThat(image.pinned()).isFalse();
    }

    @ParameterizedTest
    @CsvSource({
            "https://index.docker.io/v1/, docker.io",
            "registry-1.docker.io, docker.io",
            "http://127.0.0.1:5000, 127.0.0.1:5000",
            "https://registry.example.com/v2/, registry.example.com",
    })
    void configKeysAreNormalizedToHosts(String key, String host) {
        assertThat(ImageReference.normalizeHost(key)).isEqualTo(host);
    }

    @org.junit.jupiter.api.Test
    void pinningKeepsTheTagAndAddsTheDigest() {
        ImageReference pinned = ImageReference.parse("127.0.0.1:5000/app:1@sha256:abc");
        assertThat(pinned.pinned()).isTrue();
        assertThat(pinned.digest()).isEqualTo("sha256:abc");
        assertThat(pinned.unpinned()).isEqualTo("127.0.0.1:5000/app:1");
        assertThat(ImageReference.parse("app:1").pinnedTo("sha256:def")).isEqualTo("app:1@sha256:def");
    }
}
