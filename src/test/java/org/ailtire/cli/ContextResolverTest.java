package org.ailtire.cli;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ContextResolverTest {
    @TempDir
    Path home;
    private ContextStore store;
    private final Map<String, String> env = new HashMap<>();

    @BeforeEach
    void setUp() {
        store = ContextStore.inHome(home);
    }

    private ControllerContext resolve(String url, String app, String token, Path tokenFile) throws Exception {
        return new ContextResolver(env, store).resolve(new TargetSelection(url, app, token, tokenFile));
    }

    private void deployed(String app, String url, String token) throws Exception {
        store.write(ControllerContext.of(app, URI.create(url), token));
    }

    @Test
    void aChildStacksTokenIsDerivedFromTheTopsAlongItsPath() throws Exception {
        String top = "0123456789abcdef0123456789abcdef";
        ControllerContext child = new ContextResolver(env, store).resolve(
                new TargetSelection("http://127.0.0.1:9001", null, top, null, "backend/db"));
        assertThat(child.url()).isEqualTo(URI.create("http://127.0.0.1:9001"));
        assertThat(child.token()).isEqualTo(org.ailtire.stack.StackToken.of(top).child("backend").child("db").value());

        deployed("shop", "http://localhost:3000", top);
        assertThatThrownBy(() -> new ContextResolver(env, store).resolve(
                new TargetSelection(null, "shop", null, null, "backend")))
                .isInstanceOf(ContextResolver.UnresolvedTarget.class).hasMessageContaining("--stack backend needs --url");
        assertThatThrownBy(() -> new ContextResolver(env, store).resolve(
                new TargetSelection("http://127.0.0.1:9001", null, top, null, "backend//db")))
                .isInstanceOf(ContextResolver.UnresolvedTarget.class).hasMessageContaining("empty child key");
    }

    @Test
    void theOnlyContextFileIsUsedWhenNothingIsGiven() throws Exception {
        deployed("shop", "http://localhost:3000", "shop-token");
        assertThat(resolve(null, null, null, null))
                .isEqualTo(ControllerContext.of("shop", URI.create("http://localhost:3000"), "shop-token"));
    }

    @Test
    void severalContextsNeedApp() throws Exception {
        deployed("shop", "http://localhost:3000", "shop-token");
        deployed("blog", "http://localhost:4000", "blog-token");
        assertThatThrownBy(() -> resolve(null, null, null, null))
                .isInstanceOf(ContextResolver.UnresolvedTarget.class)
                .hasMessageContaining("blog, shop").hasMessageContaining("--app");
        assertThat(resolve(null, "blog", null, null))
                .isEqualTo(ControllerContext.of("blog", URI.create("http://localhost:4000"), "blog-token"));
    }

    @Test
    void nothingAtAllNamesEveryWay() {
        assertThatThrownBy(() -> resolve(null, null, null, null))
                .isInstanceOf(ContextResolver.UnresolvedTarget.class)
                .hasMessageContaining("--url").hasMessageContaining("AILTIRE_URL").hasMessageContaining("deploy");
    }

    @Test
    void anUnknownAppIsAnError() {
        assertThatThrownBy(() -> resolve(null, "nope", null, null))
                .hasMessageContaining("no context for application nope");
    }

    @Test
    void environmentBeatsTheOnlyContextButAppBeatsTheEnvironment() throws Exception {
        deployed("shop", "http://localhost:3000", "shop-token");
        env.put("AILTIRE_URL", "http://elsewhere:9000");
        env.put("AILTIRE_TOKEN", "env-token");
        assertThat(resolve(null, null, null, null))
                .isEqualTo(new ControllerContext(Optional.empty(), URI.create("http://elsewhere:9000"), "env-token"));
        assertThat(resolve(null, "shop", null, null))
                .isEqualTo(ControllerContext.of("shop", URI.create("http://localhost:3000"), "shop-token"));
    }

    @Test
    void urlFlagBeatsEverything() throws Exception {
        deployed("shop", "http://localhost:3000", "shop-token");
        env.put("AILTIRE_URL", "http://elsewhere:9000");
        assertThat(resolve("http://flag:1", null, "flag-token", null).url()).isEqualTo(URI.create("http://flag:1"));
    }

    @Test
    void tokenFlagThenTokenFileThenContextThenEnvironment() throws Exception {
        deployed("shop", "http://localhost:3000", "shop-token");
        env.put("AILTIRE_TOKEN", "env-token");
        Path tokenFile = home.resolve("token");
        Files.writeString(tokenFile, "file-token\n");

        assertThat(resolve(null, null, "flag-token", tokenFile).token()).isEqualTo("flag-token");
        assertThat(resolve(null, null, null, tokenFile).token()).isEqualTo("file-token");
        assertThat(resolve(null, null, null, null).token()).as("the context the URL came from").isEqualTo("shop-token");
        assertThat(resolve("http://other:1", null, null, null).token()).isEqualTo("env-token");
    }

    @Test
    void aContextTokenGoesOnlyToItsOwnUrl() throws Exception {
        deployed("shop", "http://localhost:3000", "shop-token");
        assertThatThrownBy(() -> resolve("http://other:1", null, null, null))
                .isInstanceOf(ContextResolver.UnresolvedTarget.class)
                .hasMessageContaining("no token for http://other:1");
        ControllerContext sameUrl = resolve("http://localhost:3000/", null, null, null);
        assertThat(sameUrl.token()).isEqualTo("shop-token");
        assertThat(sameUrl.app()).as("known, so shutdown can remove its context").contains("shop");
    }

    @Test
    void badUrlsAndEmptyTokenFilesAreUsageErrors() throws Exception {
        assertThatThrownBy(() -> resolve("localhost:3000", null, "t", null))
                .isInstanceOf(ContextResolver.UnresolvedTarget.class).hasMessageContaining("--url: expected http");
        Path empty = Files.createFile(home.resolve("empty"));
        assertThatThrownBy(() -> resolve("http://a:1", null, null, empty))
                .isInstanceOf(ContextResolver.UnresolvedTarget.class).hasMessageContaining("is empty");
    }
}
