package org.ailtire.stack;

import org.ailtire.definition.DefinitionException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class StackHistoryTest {
    private final FakeStack stack = FakeStack.simple("shop");

    private Update.View finish(Update update) {
        await().atMost(Duration.ofSeconds(10)).until(() -> !update.isRunning());
        return update.view();
    }

    private static UpdateRequest request(String definition, Map<String, String> environment) {
        return new UpdateRequest(List.of("--flag"), environment, definition);
    }

    @Test
    void everyUpdateIsKeptWithItsActorAndOutcome() throws Exception {
        finish(stack.update(request("service: web\n", Map.of("TAG", "1")), "alice from 10.0.0.1"));
        stack.updateFailure = "worker exited with 3; rolled back";
        finish(stack.update(request("service: web\nservice: worker\n", Map.of("TAG", "2")), "bob"));

        assertThat(stack.versions()).extracting(DefinitionVersion::version, DefinitionVersion::actor,
                        DefinitionVersion::outcome)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1, "alice from 10.0.0.1", DefinitionVersion.Outcome.APPLIED),
                        org.assertj.core.groups.Tuple.tuple(2, "bob", DefinitionVersion.Outcome.FAILED));
        assertThat(stack.versions().get(1).message()).contains("worker exited with 3");
        assertThat(stack.appliedDefinition()).get().extracting(AppliedDefinition::version, AppliedDefinition::definition)
                .containsExactly(1, "service: web\n");
        assertThat(stack.status().state()).isEqualTo(Status.State.RUNNING);
        assertThat(stack.status().message()).as("the status says the last update did not go through")
                .isEqualTo("last update failed: worker exited with 3; rolled back");

        stack.updateFailure = null;
        finish(stack.update(request("service: web\n", Map.of("TAG", "3")), "bob"));
        assertThat(stack.status().message()).isEmpty();
    }

    @Test
    void aRequestWithoutFilesKeepsTheFilesOfTheAppliedVersionAndSentFilesReplaceThem() throws Exception {
        org.ailtire.definition.DefinitionFiles password = org.ailtire.definition.DefinitionFiles.of(
                Map.of("db", Map.of("db-password.txt", "s3cret".getBytes())));
        finish(stack.update(request("service: web\n", Map.of()).withFiles(password), "cli"));

        UpdatePreview preview = stack.preview(request("service: web\n", Map.of()));
        assertThat(stack.lastRequest.files()).as("what the console sends: the text only").isEqualTo(password);
        assertThat(preview.diff()).as("nothing changes, the files included").isEmpty();

        finish(stack.update(request("service: web\nservice: api\n", Map.of()), "console"));
        assertThat(stack.lastRequest.files()).isEqualTo(password);
        assertThat(stack.versions()).hasSize(2);
        finish(stack.update(request("service: web\nservice: api\n", Map.of()), "console"));
        assertThat(stack.versions()).as("the same text, with the kept files, is the version applied").hasSize(2);

        org.ailtire.definition.DefinitionFiles other = org.ailtire.definition.DefinitionFiles.of(
                Map.of("db", Map.of("db-password.txt", "other".getBytes())));
        UpdatePreview changed = stack.preview(request("service: web\nservice: api\n", Map.of()).withFiles(other));
        assertThat(changed.diff()).contains("db:db-password.txt").doesNotContain("other");
        finish(stack.update(request("service: web\nservice: api\n", Map.of()).withFiles(other), "cli"));
        assertThat(stack.lastRequest.files()).isEqualTo(other);
        assertThat(stack.versions()).hasSize(3);
    }

    @Test
    void applyingTheCurrentVersionAgainAddsNoVersion() throws Exception {
        finish(stack.update(request("service: web\n", Map.of("TAG", "1")), "a"));
        finish(stack.update(request("service: web\n", Map.of("TAG", "1")), "a"));
        assertThat(stack.versions()).hasSize(1);
        finish(stack.update(request("service: web\n", Map.of("TAG", "2")), "a"));
        assertThat(stack.versions()).as("other variables make another version").hasSize(2);
    }

    @Test
    void rollbackAppliesTheStoredRequestAgainAsANewVersion() throws Exception {
        finish(stack.update(request("service: web\n", Map.of("TAG", "1")), "a"));
        finish(stack.update(request("service: web\nservice: api\n", Map.of("TAG", "2")), "a"));

        Update.View rolled = finish(stack.rollback(1, "carol"));

        assertThat(rolled.state()).isEqualTo(Update.State.SUCCEEDED);
        assertThat(stack.versions()).hasSize(3);
        DefinitionVersion third = stack.versions().get(2);
        assertThat(third.definition()).isEqualTo("service: web\n");
        assertThat(third.actor()).isEqualTo("carol (rollback to version 1)");
        assertThat(stack.appliedDefinition().get().version()).isEqualTo(3);
        assertThat(stack.events().all()).extracting(StackEvent::action, StackEvent::result)
                .contains(org.assertj.core.groups.Tuple.tuple("rollback", "requested"));
    }

    @Test
    void scaleIsAnUpdateOfTheAppliedVersionKeptInTheHistoryAndARollbackPutsTheReplicasBack() throws Exception {
        finish(stack.update(request("service: web\n", Map.of("TAG", "1")), "alice"));

        Update.View scaled = finish(stack.scale("web", 3, "bob"));

        assertThat(scaled.state()).isEqualTo(Update.State.SUCCEEDED);
        assertThat(stack.lastRequest.definition()).as("the applied text, unchanged").isEqualTo("service: web\n");
        assertThat(stack.lastRequest.environment()).as("with its variables").containsEntry("TAG", "1");
        assertThat(stack.lastRequest.overrides().replicas()).containsExactly(Map.entry("web", 3));
        assertThat(stack.versions()).hasSize(2);
        assertThat(stack.versions().get(1).actor()).isEqualTo("bob (scale web to 3)");

        finish(stack.scale("web", 3, "bob"));
        assertThat(stack.versions()).as("the same scale again is the version applied").hasSize(2);

        finish(stack.rollback(1, "carol"));
        assertThat(stack.lastRequest.overrides()).isEqualTo(ServiceOverrides.NONE);
        finish(stack.rollback(2, "carol"));
        assertThat(stack.lastRequest.overrides().replicas()).containsExactly(Map.entry("web", 3));

        finish(stack.update(request("service: web\n", Map.of("TAG", "1")), "alice"));
        assertThat(stack.lastRequest.overrides()).as("a definition sent anew starts from its own replicas")
                .isEqualTo(ServiceOverrides.NONE);
    }

    @Test
    void scaleBeforeAnythingIsAppliedOrToAnImpossibleNumberIsRefusedAndStartsNothing() throws Exception {
        assertThatThrownBy(() -> stack.scale("web", 2, "bob")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no definition applied yet");
        finish(stack.update(request("service: web\n", Map.of()), "alice"));
        assertThatThrownBy(() -> stack.scale("web", 1001, "bob")).isInstanceOf(DefinitionException.class)
                .hasMessageContaining("services.web").hasMessageContaining("0 to 1000");
        assertThat(stack.versions()).hasSize(1);
    }

    @Test
    void redeployCountsEachRedeployRefreshesTheNamedServicesAndKeepsThePinsOfTheOthers() throws Exception {
        finish(stack.update(request("service: web\n", Map.of()).withPins(Map.of("web", "reg/web:1@sha256:aa",
                "api", "reg/api:1@sha256:bb")), "alice"));

        finish(stack.redeploy(Set.of("web"), "bob"));
        assertThat(stack.lastRequest.refresh()).containsExactly("web");
        assertThat(stack.lastRequest.pins()).containsEntry("api", "reg/api:1@sha256:bb");
        finish(stack.redeploy(Set.of("web"), "bob"));
        assertThat(stack.lastRequest.overrides().redeploys()).containsExactly(Map.entry("web", 2));
        assertThat(stack.versions()).extracting(DefinitionVersion::actor).endsWith("bob (redeploy web)");
        assertThat(stack.versions()).as("each redeploy is a version: its counter differs").hasSize(3);

        finish(stack.refreshImages(Set.of("api"), "ci", "webhook"));
        assertThat(stack.lastRequest.refresh()).containsExactly("api");
        assertThat(stack.lastRequest.overrides().redeploys()).as("a refresh replaces no task whose digest stayed")
                .containsExactly(Map.entry("web", 2));
        assertThat(stack.versions()).as("nothing moved: the version applied").hasSize(3);
    }

    @Test
    void theImagesAnUpdatePinnedAreKeptWithItsVersion() throws Exception {
        stack.pinned = Map.of("web", "reg/web:1@sha256:aa");
        finish(stack.update(request("service: web\n", Map.of()), "alice"));
        assertThat(stack.lastApplied()).get().extracting(UpdateRequest::pins)
                .isEqualTo(Map.of("web", "reg/web:1@sha256:aa"));

        stack.pinned = Map.of("web", "reg/web:1@sha256:cc");
        finish(stack.refreshImages(Set.of("web"), "ci", "webhook"));
        assertThat(stack.versions()).as("the tag moved: a new version, by the webhook").hasSize(2)
                .last().extracting(DefinitionVersion::actor).isEqualTo("ci (webhook: web)");
        assertThat(stack.lastApplied()).get().extracting(UpdateRequest::refresh).as("not kept: applied again, it pins")
                .isEqualTo(Set.of());
        assertThat(stack.lastApplied()).get().extracting(UpdateRequest::pins)
                .isEqualTo(Map.of("web", "reg/web:1@sha256:cc"));
    }

    @Test
    void adoptingTheCurrentVersionAfterARestartKeepsNoNewVersion() throws Exception {
        finish(stack.update(request("service: web\n", Map.of("TAG", "1")), "a"));
        Update.View adopted = finish(stack.adopt(1, "controller start"));
        assertThat(adopted.state()).isEqualTo(Update.State.SUCCEEDED);
        assertThat(stack.versions()).hasSize(1);
        assertThat(stack.appliedDefinition().get().version()).isEqualTo(1);
        assertThat(stack.events().all()).extracting(StackEvent::actor, StackEvent::action, StackEvent::detail)
                .contains(org.assertj.core.groups.Tuple.tuple("controller start", "adopt", "version 1"));
    }

    @Test
    void rollbackToAVersionNotKeptIsRefusedAndStartsNothing() {
        assertThatThrownBy(() -> stack.rollback(7, "a")).isInstanceOf(NoSuchVersionException.class)
                .hasMessageContaining("no definition version 7");
        assertThat(stack.events().all()).isEmpty();
    }

    @Test
    void previewDiffsAgainstTheAppliedVersionAndChangesNothing() throws Exception {
        finish(stack.update(request("service: web\n", Map.of()), "a"));
        stack.setService("web", Status.State.RUNNING);

        UpdatePreview preview = stack.preview(request("service: web\nservice: api\n", Map.of()));

        assertThat(preview.baseVersion()).isEqualTo(1);
        assertThat(preview.diff()).contains("--- version 1", "+++ proposed", "+service: api");
        assertThat(preview.services().create()).containsExactly("api");
        assertThat(preview.services().unchanged()).containsExactly("web");
        assertThat(stack.versions()).hasSize(1);
        assertThat(stack.appliedDefinition().get().definition()).isEqualTo("service: web\n");
    }

    @Test
    void previewOfAnInvalidDefinitionNamesTheProblem() {
        assertThatThrownBy(() -> stack.preview(request("invalid", Map.of())))
                .isInstanceOf(DefinitionException.class).hasMessageContaining("services.web.deploy.replicas");
    }

    @Test
    void eventsSayWhoDidWhatAndHowItEnded() throws Exception {
        finish(stack.update(request("service: web\n", Map.of()), "alice"));
        stack.childStacks.put("child", "http://child:8080");
        stack.register(new Registration("child", "http://child:8080", "child"));
        stack.shutdown("bob").get();

        assertThat(stack.events().all()).extracting(StackEvent::actor, StackEvent::action, StackEvent::result)
                .containsSubsequence(
                        org.assertj.core.groups.Tuple.tuple("alice", "update", "started"),
                        org.assertj.core.groups.Tuple.tuple("alice", "update", "succeeded"),
                        org.assertj.core.groups.Tuple.tuple("child", "register", "succeeded"),
                        org.assertj.core.groups.Tuple.tuple("bob", "shutdown", "started"),
                        org.assertj.core.groups.Tuple.tuple("bob", "shutdown", "succeeded"));
        long second = stack.events().all().get(1).sequence();
        assertThat(stack.events().since(second)).allMatch(e -> e.sequence() > second).hasSize(3);
    }

    @Test
    void aHistoryThatCannotKeepAVersionDoesNotFailTheUpdate() throws Exception {
        FakeStack broken = new FakeStack("shop", new ChildRegistry(java.time.Clock.systemUTC(), Duration.ofSeconds(10), 3),
                child -> java.util.concurrent.CompletableFuture.completedFuture(null), java.time.Clock.systemUTC(),
                new DefinitionHistory() {
                    @Override
                    public List<DefinitionVersion> versions() {
                        return List.of();
                    }

                    @Override
                    public java.util.Optional<UpdateRequest> request(int version) {
                        return java.util.Optional.empty();
                    }

                    @Override
                    public DefinitionVersion record(UpdateRequest request, String actor,
                                                    DefinitionVersion.Outcome outcome, String message) {
                        throw new DefinitionHistory.HistoryException("engine down", null);
                    }
                });
        Update.View view = finish(broken.update(request("service: web\n", Map.of()), "a"));
        assertThat(view.state()).isEqualTo(Update.State.SUCCEEDED);
        assertThat(view.events()).anyMatch(e -> e.phase().equals("history") && e.message().contains("engine down"));
        assertThat(broken.appliedDefinition().get().version()).isZero();
        assertThat(broken.events().all()).anyMatch(e -> e.action().equals("history") && e.result().equals("failed"));
    }

    @Test
    void inMemoryHistoryKeepsTheLastVersionsOnly() {
        InMemoryHistory history = new InMemoryHistory(java.time.Clock.systemUTC(), 2);
        for (int i = 1; i <= 3; i++) {
            history.record(request("v" + i, Map.of()), "a", DefinitionVersion.Outcome.APPLIED, "");
        }
        assertThat(history.versions()).extracting(DefinitionVersion::version).containsExactly(2, 3);
        assertThat(history.request(1)).isEmpty();
        assertThat(history.request(3)).get().extracting(UpdateRequest::definition).isEqualTo("v3");
    }

    @Test
    void theLastAppliedRequestIsTheOneAFailedUpdateLeavesRunning() throws Exception {
        assertThat(stack.lastApplied()).isEmpty();
        UpdateRequest first = request("service: web\n", Map.of("TAG", "1"));
        finish(stack.update(first, "alice"));
        stack.updateFailure = "worker exited with 3; rolled back";
        finish(stack.update(request("service: web\nservice: worker\n", Map.of("TAG", "2")), "bob"));

        assertThat(stack.lastApplied()).get().extracting(UpdateRequest::definition, UpdateRequest::environment)
                .containsExactly("service: web\n", Map.of("TAG", "1"));
    }
}
