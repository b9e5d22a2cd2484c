package org.ailtire.cli;

import org.ailtire.stack.LogLine;
import org.ailtire.stack.Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class CliCommandsTest {
    private static final String V1 = "services:\n  web:\n    image: web\n# service: web\n";
    private static final String V2 = V1 + "# service: api\n";
    @TempDir
    Path home;
    private CliHarness cli;

    @BeforeEach
    void start() {
        cli = new CliHarness(home);
        cli.stack.setService("web", Status.State.RUNNING);
        cli.stack.setService("db", Status.State.STARTING);
        cli.stack.messages.put("web", "listening on :8080");
        cli.stack.logLines.add(new LogLine("web", LogLine.Stream.STDOUT, Instant.parse("2026-01-01T00:00:00Z"),
                "hello"));
        cli.stack.logLines.add(new LogLine("db", LogLine.Stream.STDERR, null, "oops"));
    }

    @AfterEach
    void stop() {
        cli.close();
    }

    private static void awaitContains(CliHarness.Run run, String text) {
        await().atMost(Duration.ofSeconds(10)).until(() -> run.out().contains(text));
    }

    @Test
    void statusPrintsTheTree() {
        CliHarness.Run run = cli.run(cli.targeted("status"));
        assertThat(run.exitCode).as(run.err()).isZero();
        assertThat(run.out().lines()).containsExactly(
                "NAME     STATE     AGGREGATE  MESSAGE",
                "top/     RUNNING   STARTING",
                "├── web  RUNNING              listening on :8080",
                "└── db   STARTING");
    }

    @Test
    void tlsAgainstAPlainGatewaySaysSoAndACertificateNeedsItsKey(@org.junit.jupiter.api.io.TempDir java.nio.file.Path temp)
            throws Exception {
        CliHarness.Run shown = cli.run(cli.targeted("tls"));
        assertThat(shown.exitCode).isEqualTo(Main.FAILED);
        assertThat(shown.err()).contains("serves plain HTTP");

        org.ailtire.tls.TestCertificates.Pair pair = org.ailtire.tls.TestCertificates.make(temp, "shop", "ec");
        CliHarness.Run alone = cli.run(cli.targeted("tls", "--tls-cert", pair.certificate().toString()));
        assertThat(alone.exitCode).isEqualTo(Main.USAGE);
        assertThat(alone.err()).contains("--tls-cert: give --tls-key with it");

        CliHarness.Run replaced = cli.run(cli.targeted("tls", "--tls-cert", pair.certificate().toString(),
                "--tls-key", pair.key().toString()));
        assertThat(replaced.exitCode).isEqualTo(Main.FAILED);
        assertThat(replaced.err()).contains("certificate not replaced: this stack's gateway serves plain HTTP");
    }

    @Test
    void statusJsonIsTheControllersDocument() throws Exception {
        CliHarness.Run run = cli.run(cli.targeted("status", "--json"));
        assertThat(run.exitCode).isZero();
        Status status = org.ailtire.stack.Json.MAPPER.readValue(run.out(), Status.class);
        assertThat(status.name()).isEqualTo("top");
        assertThat(status.children()).extracting(Status::name).containsExactly("web", "db");
    }

    @Test
    void statusWatchReprintsOnChangeAndEndsWhenTheStackStopped() {
        CliHarness.Run run = cli.start(cli.targeted("status", "--watch"));
        awaitContains(run, "└── db   STARTING");
        cli.stack.setService("db", Status.State.FAILED);
        awaitContains(run, "└── db   FAILED");
        assertThat(run.out()).contains("top/     RUNNING  DEGRADED");
        cli.stack.shutdown().join();
        await().atMost(Duration.ofSeconds(10)).until(() -> run.exitCode == Main.OK);
        assertThat(run.out()).contains("top/     STOPPED  STOPPED");
    }

    private void placeOnTwoNodes() {
        cli.stack.nodes.add(new Status.Node("manager-1", "manager", "ready", "active"));
        cli.stack.nodes.add(new Status.Node("worker-1", "worker", "ready", "active"));
        cli.stack.placements.put("web", java.util.List.of(new Status.Placement("worker-1", 2)));
        cli.stack.setService("web", Status.State.RUNNING);
    }

    @Test
    void statusNodesPrintsEachNodeWithItsTasksAndAsJson() throws Exception {
        placeOnTwoNodes();
        CliHarness.Run run = cli.run(cli.targeted("status", "--nodes"));
        assertThat(run.exitCode).as(run.err()).isZero();
        assertThat(run.out().lines()).containsExactly(
                "NODE       ROLE     STATE  AVAILABILITY",
                "manager-1  manager  ready  active",
                "    no tasks",
                "worker-1   worker   ready  active",
                "    web ×2");

        CliHarness.Run json = cli.run(cli.targeted("status", "--nodes", "-o", "json"));
        assertThat(json.exitCode).as(json.err()).isZero();
        com.fasterxml.jackson.databind.JsonNode nodes = org.ailtire.stack.Json.MAPPER.readTree(json.out()).path("nodes");
        assertThat(nodes.findValuesAsText("name")).containsExactly("manager-1", "worker-1");
        assertThat(nodes.get(1).path("tasks").toString()).isEqualTo("[{\"path\":\"web\",\"count\":2}]");
    }

    @Test
    void statusNodesWatchMovesTasksWhenTheyMove() {
        placeOnTwoNodes();
        CliHarness.Run run = cli.start(cli.targeted("status", "--nodes", "--watch"));
        awaitContains(run, "    web ×2");
        cli.stack.placements.put("web", java.util.List.of(new Status.Placement("manager-1", 1),
                new Status.Placement("worker-1", 1)));
        cli.stack.setService("web", Status.State.RUNNING);
        awaitContains(run, "manager-1  manager  ready  active\n    web ×1\nworker-1   worker   ready  active\n    web ×1");
        cli.stack.shutdown().join();
        await().atMost(Duration.ofSeconds(10)).until(() -> run.exitCode == Main.OK);
    }

    @Test
    void statusWatchLosingTheControllerExitsThree() {
        CliHarness.Run run = cli.start(cli.targeted("status", "--watch", "--json"));
        await().atMost(Duration.ofSeconds(10)).until(() -> run.out().contains("\"name\":\"top\""));
        cli.close();
        await().atMost(Duration.ofSeconds(10)).until(() -> run.exitCode == Main.UNREACHABLE);
        assertThat(run.err()).contains("lost the controller at " + cli.url);
    }

    @Test
    void logsPrintServicePrefixedLinesWithStderrMarkedOnStderr() {
        CliHarness.Run run = cli.run(cli.targeted("logs"));
        assertThat(run.exitCode).as(run.err()).isZero();
        assertThat(run.out()).isEqualTo("web | hello\n");
        assertThat(run.err()).isEqualTo("db  ! oops\n");
    }

    @Test
    void logsOfOneServiceWithTimestamps() {
        CliHarness.Run run = cli.run(cli.targeted("logs", "web", "--tail", "5", "--since", "1h", "-t"));
        assertThat(run.exitCode).as(run.err()).isZero();
        assertThat(run.out()).isEqualTo("2026-01-01T00:00:00Z web | hello\n");
        assertThat(run.err()).isEmpty();
    }

    @Test
    void logsOfAnUnknownServiceShowTheServersError() {
        CliHarness.Run run = cli.run(cli.targeted("logs", "nope"));
        assertThat(run.exitCode).isEqualTo(Main.FAILED);
        assertThat(run.err()).contains("no service named nope in this stack (HTTP 404)");
    }

    @Test
    void logsOfAnUnknownChildStacksServiceNameTheService() {
        CliHarness.Run run = cli.run(cli.targeted("logs", "backend/db"));
        assertThat(run.exitCode).isEqualTo(Main.FAILED);
        assertThat(run.err()).contains("backend/db", "(HTTP 404)");
    }

    @Test
    void logsOfAnInvalidServicePathAreRefusedWithTheReason() {
        CliHarness.Run run = cli.run(cli.targeted("logs", "backend/../db"));
        assertThat(run.exitCode).isEqualTo(Main.FAILED);
        assertThat(run.err()).contains("invalid log request (HTTP 400)", "service: expected");
    }

    @Test
    void logsArgumentsAreCheckedBeforeAsking() {
        assertThat(cli.run(cli.targeted("logs", "--since", "yesterday")).exitCode).isEqualTo(Main.USAGE);
        assertThat(cli.run(cli.targeted("logs", "--tail", "-1")).exitCode).isEqualTo(Main.USAGE);
    }

    @Test
    void logsFollowStreamsUntilTheControllerGoes() {
        CliHarness.Run run = cli.start(cli.targeted("logs", "--follow", "--stdout"));
        awaitContains(run, "web | hello");
        await().atMost(Duration.ofSeconds(10)).until(() -> cli.stack.openFollows == 1);
        cli.close();
        await().atMost(Duration.ofSeconds(10)).until(() -> run.exitCode == Main.UNREACHABLE);
        assertThat(run.err()).contains("lost the controller");
    }

    @Test
    void updateFollowsProgressAndExitsZeroWhenConverged() throws Exception {
        Path file = Files.writeString(home.resolve("stack.yml"), "services:\n  web:\n    image: x\n");
        Path envFile = Files.writeString(home.resolve("app.env"), "# comment\nA=1\nexport B=\"two\"\n");
        cli.stack.updateGate = new CountDownLatch(1);
        CliHarness.Run run = cli.start(cli.targeted("update", "-f", file.toString(), "--env-file",
                envFile.toString(), "-e", "A=override", "-p", "replicas=2"));
        awaitContains(run, "  plan service web: create");
        cli.stack.updateGate.countDown();
        await().atMost(Duration.ofSeconds(10)).until(() -> run.exitCode == Main.OK);
        assertThat(run.out()).matches("(?s)update \\S+ started\n  plan service web: create\n  create service web\n"
                + "  history version 1: applied\n  done\nupdate \\S+ converged\n");
    }

    @Test
    void previewPrintsTheDiffAndServiceChangesAndAppliesNothing() throws Exception {
        Path first = Files.writeString(home.resolve("v1.yml"), V1);
        assertThat(cli.run(cli.targeted("update", "-f", first.toString())).exitCode).isEqualTo(Main.OK);
        Path second = Files.writeString(home.resolve("v2.yml"), V2);
        CliHarness.Run run = cli.run(cli.targeted("update", "--preview", "-f", second.toString()));
        assertThat(run.exitCode).isEqualTo(Main.OK);
        assertThat(run.out()).contains("--- version 1\n+++ proposed\n", "+# service: api\n",
                "services: create [api], update [], unchanged [web], remove [db]\n", "nothing was applied (preview)");
        assertThat(cli.stack.versions()).hasSize(1);
    }

    @Test
    void updateSendsTheFilesTheDefinitionNamesAndNothingShowsTheSecret() throws Exception {
        Path dir = Files.createDirectories(home.resolve("app"));
        Files.writeString(dir.resolve("db.txt"), "pw-one-8d1f");
        Files.writeString(dir.resolve("app.conf"), "listen 80\n");
        Path file = Files.writeString(dir.resolve("stack.yml"), V1 + """
                configs:
                  app: {file: app.conf}
                secrets:
                  db: {file: ./db.txt}
                """);
        assertThat(cli.run(cli.targeted("update", "-f", file.toString())).exitCode).isEqualTo(Main.OK);
        assertThat(cli.stack.lastRequest.files().stacks().get("")).containsOnlyKeys("app.conf", "db.txt");
        assertThat(cli.stack.lastRequest.files().own("db.txt")).isEqualTo("pw-one-8d1f".getBytes());

        Files.writeString(dir.resolve("db.txt"), "pw-two-77ac");
        CliHarness.Run preview = cli.run(cli.targeted("update", "--preview", "-f", file.toString()));
        assertThat(preview.exitCode).isEqualTo(Main.OK);
        assertThat(preview.out()).contains("# files sent with the definition (their content is not shown):\n"
                + "#   changed: db.txt\n").doesNotContain("pw-");
        assertThat(cli.stack.lastRequest.files().own("db.txt")).as("preview bundles like update")
                .isEqualTo("pw-two-77ac".getBytes());
        assertThat(cli.run(cli.targeted("update", "-f", file.toString())).exitCode).isEqualTo(Main.OK);
        String shown = cli.run(cli.targeted("history")).out() + cli.run(cli.targeted("history", "1")).out()
                + cli.run(cli.targeted("history", "1", "--diff")).out() + cli.run(cli.targeted("events")).out();
        assertThat(shown).contains("db.txt").doesNotContain("pw-one").doesNotContain("pw-two");

        assertThat(cli.run(cli.targeted("rollback", "1")).exitCode).isEqualTo(Main.OK);
        assertThat(cli.stack.lastRequest.files().own("db.txt")).as("a rollback applies the files that ran")
                .isEqualTo("pw-one-8d1f".getBytes());

        Files.writeString(file, V1 + "secrets:\n  db: {file: ../outside.txt}\n");
        CliHarness.Run outside = cli.run(cli.targeted("update", "-f", file.toString()));
        assertThat(outside.exitCode).isNotEqualTo(Main.OK);
        assertThat(outside.err()).contains("secrets.db.file: refused: \"../outside.txt\" is outside the definition's directory");
    }

    @Test
    void historyListsVersionsShowsOneAndDiffsThemAndRollbackAppliesOneAgain() throws Exception {
        Path first = Files.writeString(home.resolve("v1.yml"), V1);
        Path second = Files.writeString(home.resolve("v2.yml"), V2);
        assertThat(cli.run(cli.targeted("update", "-f", first.toString())).exitCode).isEqualTo(Main.OK);
        assertThat(cli.run(cli.targeted("update", "-f", second.toString())).exitCode).isEqualTo(Main.OK);

        CliHarness.Run list = cli.run(cli.targeted("history"));
        assertThat(list.exitCode).isEqualTo(Main.OK);
        assertThat(list.out()).containsPattern("(?m)^  v1 +\\S+  APPLIED  \\S+@\\S+ \\(cli\\) from 127.0.0.1$")
                .containsPattern("(?m)^\\* v2 ");
        assertThat(cli.run(cli.targeted("history", "1")).out()).isEqualTo(V1);
        assertThat(cli.run(cli.targeted("history", "1", "--diff")).out()).contains("--- version 2", "-# service: api");
        assertThat(cli.run(cli.targeted("history", "2", "--diff", "--against", "2")).out()).isEqualTo("no difference\n");
        CliHarness.Run missing = cli.run(cli.targeted("history", "9"));
        assertThat(missing.exitCode).isNotEqualTo(Main.OK);
        assertThat(missing.err()).contains("no definition version 9");

        CliHarness.Run rollback = cli.run(cli.targeted("rollback", "1"));
        assertThat(rollback.exitCode).isEqualTo(Main.OK);
        assertThat(rollback.out()).startsWith("rollback to version 1: update ").contains("converged");
        assertThat(cli.stack.appliedDefinition().get().definition()).isEqualTo(V1);
        CliHarness.Run refused = cli.run(cli.targeted("rollback", "42"));
        assertThat(refused.exitCode).isEqualTo(Main.FAILED);
        assertThat(refused.err()).isEqualTo("rollback refused: no definition version 42 in the history\n");

        CliHarness.Run events = cli.run(cli.targeted("events"));
        assertThat(events.out()).containsPattern("(?m)rollback +requested +\\S+@\\S+ \\(cli\\) from 127.0.0.1  to version 1$");
    }

    @Test
    void scaleAndRedeployAreFollowedUpdatesInTheHistoryAndABadOrRefusedOneExitsNonZero() throws Exception {
        Path first = Files.writeString(home.resolve("v1.yml"), V1);
        assertThat(cli.run(cli.targeted("update", "-f", first.toString())).exitCode).isEqualTo(Main.OK);

        CliHarness.Run scale = cli.run(cli.targeted("scale", "web=3"));
        assertThat(scale.exitCode).as(scale.err()).isEqualTo(Main.OK);
        assertThat(scale.out()).startsWith("scale web to 3: update ").contains("converged");
        assertThat(cli.stack.lastRequest.overrides().replicas()).containsExactly(java.util.Map.entry("web", 3));

        CliHarness.Run redeploy = cli.run(cli.targeted("redeploy", "web"));
        assertThat(redeploy.exitCode).as(redeploy.err()).isEqualTo(Main.OK);
        assertThat(redeploy.out()).startsWith("redeploy web: update ").contains("converged");
        assertThat(cli.stack.lastRequest.refresh()).containsExactly("web");
        assertThat(cli.run(cli.targeted("history")).out()).contains("(scale web to 3)", "(redeploy web)");

        for (String bad : java.util.List.of("web", "web=", "=3", "web=three", "web=-1")) {
            CliHarness.Run refused = cli.run(cli.targeted("scale", bad));
            assertThat(refused.exitCode).as(bad).isEqualTo(Main.USAGE);
            assertThat(refused.err()).contains("SERVICE=REPLICAS: expected a service and a number of replicas");
        }
        CliHarness.Run tooMany = cli.run(cli.targeted("scale", "web=5000"));
        assertThat(tooMany.exitCode).isEqualTo(Main.FAILED);
        assertThat(tooMany.err()).startsWith("scale refused: invalid scale request")
                .contains("replicas: expected an integer from 0 to 1000");
    }

    @Test
    void webhookMakesItsSecretPrintedOnceShowsItWithoutTheSecretAndTurnsItOff() throws Exception {
        CliHarness.Run none = cli.run(cli.targeted("webhook"));
        assertThat(none.exitCode).isEqualTo(Main.FAILED);
        assertThat(none.err()).contains("this stack has no webhook");

        CliHarness.Run created = cli.run(cli.targeted("webhook", "--create"));
        assertThat(created.exitCode).as(created.err()).isEqualTo(Main.OK);
        assertThat(created.out()).containsPattern("(?m)^url: +http://127.0.0.1:\\d+/hooks/redeploy$")
                .contains("shown this once", "openssl dgst -sha256 -hmac", "X-Ailtire-Signature: t=$t,v1=$sig");
        String secret = created.out().lines().filter(l -> l.startsWith("secret:")).findFirst().orElseThrow()
                .split(" +")[1];
        assertThat(secret).hasSizeGreaterThanOrEqualTo(43);

        CliHarness.Run shown = cli.run(cli.targeted("webhook"));
        assertThat(shown.exitCode).isEqualTo(Main.OK);
        assertThat(shown.out()).contains("/hooks/redeploy").doesNotContain(secret);
        assertThat(cli.run(cli.targeted("webhook", "--create", "--delete")).exitCode).isEqualTo(Main.USAGE);

        assertThat(cli.run(cli.targeted("webhook", "--delete")).out()).contains("webhook turned off");
        assertThat(cli.run(cli.targeted("webhook")).exitCode).isEqualTo(Main.FAILED);
    }

    @Test
    void historyEventsAndStatusPrintTheControllersJsonWithOutputJson() throws Exception {
        Path first = Files.writeString(home.resolve("v1.yml"), V1);
        Path second = Files.writeString(home.resolve("v2.yml"), V2);
        assertThat(cli.run(cli.targeted("update", "-f", first.toString())).exitCode).isEqualTo(Main.OK);
        assertThat(cli.run(cli.targeted("update", "-f", second.toString())).exitCode).isEqualTo(Main.OK);

        var history = org.ailtire.stack.Json.MAPPER.readTree(cli.run(cli.targeted("history", "--output", "json")).out());
        assertThat(history.path("current").asInt()).isEqualTo(2);
        assertThat(history.path("versions")).extracting(v -> v.path("version").asInt()).containsExactly(1, 2);
        var one = org.ailtire.stack.Json.MAPPER.readTree(cli.run(cli.targeted("history", "1", "-o", "json")).out());
        assertThat(one.path("definition").asText()).isEqualTo(V1);
        var diff = org.ailtire.stack.Json.MAPPER.readTree(cli.run(cli.targeted("history", "1", "--diff", "-o", "json")).out());
        assertThat(diff.path("diff").asText()).contains("--- version 2", "-# service: api");
        var events = org.ailtire.stack.Json.MAPPER.readTree(cli.run(cli.targeted("events", "-o", "json")).out());
        assertThat(events.path("events")).extracting(e -> e.path("action").asText()).contains("update");
        Status status = org.ailtire.stack.Json.MAPPER.readValue(cli.run(cli.targeted("status", "-o", "json")).out(),
                Status.class);
        assertThat(status.name()).isEqualTo("top");

        CliHarness.Run wrong = cli.run(cli.targeted("events", "--output", "yaml"));
        assertThat(wrong.exitCode).isEqualTo(Main.USAGE);
        assertThat(wrong.err()).contains("--output", "yaml", "text, json");
    }

    @Test
    void generateCompletionPrintsABashCompletionOfEveryCommand() {
        CliHarness.Run run = cli.run("generate-completion");
        assertThat(run.exitCode).isZero();
        assertThat(run.out()).contains("complete -F _complete_ailtire-swarm", "deploy", "shutdown", "--output");
    }

    /** What a hostile service or controller can send: a window title, a screen clear, CR, CSI in C1, DEL, BEL. */
    private static final String ESCAPES = "\u001b]0;owned\u0007\u001b[2Jevil\r\u009b31m\u007fx\tend";
    private static final String ESCAPES_CLEANED = "]0;owned[2Jevil31mx\tend";

    private static void assertNoControls(String printed) {
        assertThat(printed.chars().filter(c -> (c < 0x20 && c != '\t' && c != '\n') || (c >= 0x7f && c <= 0x9f)))
                .as(printed).isEmpty();
    }

    @Test
    void logLinesArePrintedWithoutTheirControlCharacters() {
        cli.stack.logLines.add(new LogLine("web", LogLine.Stream.STDOUT, null, ESCAPES));
        cli.stack.logLines.add(new LogLine("db", LogLine.Stream.STDERR, null, "\u001b[1A" + ESCAPES));
        CliHarness.Run run = cli.run(cli.targeted("logs"));
        assertThat(run.exitCode).as(run.err()).isZero();
        assertThat(run.out()).isEqualTo("web | hello\nweb | " + ESCAPES_CLEANED + "\n");
        assertThat(run.err()).isEqualTo("db  ! oops\ndb  ! [1A" + ESCAPES_CLEANED + "\n");
    }

    @Test
    void statusMessagesArePrintedWithoutControlCharactersButJsonKeepsThemEscaped() throws Exception {
        cli.stack.messages.put("web", ESCAPES);
        CliHarness.Run run = cli.run(cli.targeted("status"));
        assertThat(run.exitCode).as(run.err()).isZero();
        assertNoControls(run.out());
        assertThat(run.out()).contains("├── web  RUNNING              " + ESCAPES_CLEANED.replace('\t', ' '));

        CliHarness.Run json = cli.run(cli.targeted("status", "--json"));
        assertThat(json.out()).contains("\\u001B]0;owned");
        assertThat(org.ailtire.stack.Json.MAPPER.readValue(json.out(), Status.class).children().get(0).message())
                .isEqualTo(ESCAPES);
    }

    @Test
    void updateProgressAndFailuresArePrintedWithoutControlCharacters() throws Exception {
        Path file = Files.writeString(home.resolve("stack.yml"), "services: {}\n");
        cli.stack.updateFailure = "boom " + ESCAPES;
        CliHarness.Run run = cli.run(cli.targeted("update", "-f", file.toString()));
        assertThat(run.exitCode).isEqualTo(Main.FAILED);
        assertNoControls(run.out().replace("\t", ""));
        assertNoControls(run.err());
        assertThat(run.err()).matches("update \\S+ failed: boom \\]0;owned\\[2Jevil31mx\tend\n");
        CliHarness.Run events = cli.run(cli.targeted("events"));
        assertThat(events.exitCode).as(events.err()).isZero();
        assertThat(events.out()).contains("boom " + ESCAPES_CLEANED);
        assertNoControls(events.out());
    }

    @Test
    void theTokenCanComeFromAFileInsteadOfTheProcessList() throws Exception {
        Path tokenFile = Files.writeString(home.resolve("token"), CliHarness.TOKEN + "\n");
        CliHarness.Run run = cli.run("status", "--url", cli.url.toString(), "--token-file", tokenFile.toString());
        assertThat(run.exitCode).as(run.err()).isZero();
        assertThat(run.out()).contains("├── web  RUNNING");
    }

    @Test
    void aFailedUpdateExitsOneWithTheReason() throws Exception {
        Path file = Files.writeString(home.resolve("stack.yml"), "services: {}\n");
        cli.stack.updateFailure = "service web did not converge; rolled back";
        CliHarness.Run run = cli.run(cli.targeted("update", "-f", file.toString()));
        assertThat(run.exitCode).isEqualTo(Main.FAILED);
        assertThat(run.out()).contains("  failed: service web did not converge; rolled back");
        assertThat(run.err()).matches("update \\S+ failed: service web did not converge; rolled back\n");
    }

    @Test
    void anInvalidDefinitionListsEveryProblemWithItsPath() throws Exception {
        Path file = Files.writeString(home.resolve("stack.yml"), "invalid\n");
        CliHarness.Run run = cli.run(cli.targeted("update", "-f", file.toString()));
        assertThat(run.exitCode).isEqualTo(Main.FAILED);
        assertThat(run.err()).isEqualTo("update refused: invalid stack definition\n"
                + "  services.web.deploy.replicas: expected an integer\n");
    }

    @Test
    void updateUsageErrors() throws Exception {
        Path file = Files.writeString(home.resolve("stack.yml"), "services: {}\n");
        assertThat(cli.run(cli.targeted("update")).exitCode).as("-f is required").isEqualTo(Main.USAGE);
        CliHarness.Run badParam = cli.run(cli.targeted("update", "-f", file.toString(), "-p", "novalue"));
        assertThat(badParam.exitCode).isEqualTo(Main.USAGE);
        assertThat(badParam.err()).contains("-p novalue: expected NAME=VALUE");
        CliHarness.Run missingFile = cli.run(cli.targeted("update", "-f", home.resolve("none.yml").toString()));
        assertThat(missingFile.exitCode).isEqualTo(Main.FAILED);
        assertThat(missingFile.err()).contains("cannot read the definition");
    }

    @Test
    void shutdownWaitsForStoppedAndRemovesTheContextFile() throws Exception {
        cli.environment.put("AILTIRE_TOKEN", "ignored-because-the-context-file-has-one");
        ContextStore store = ContextStore.inHome(home);
        store.write(ControllerContext.of("shop", cli.url, CliHarness.TOKEN));

        CliHarness.Run run = cli.run("shutdown", "--yes");

        assertThat(run.exitCode).as(run.err()).isZero();
        assertThat(run.out()).contains("shutting down application shop (" + cli.url + ")", "STOPPED", "stopped",
                "removed " + store.file("shop"));
        assertThat(cli.stack.events).contains("stop own services");
        assertThat(store.apps()).isEmpty();
    }

    @Test
    void shutdownOnATerminalAsksFirst() {
        cli.terminal = true;
        cli.stdin = "n\n";
        CliHarness.Run declined = cli.run(cli.targeted("shutdown"));
        assertThat(declined.exitCode).isEqualTo(Main.FAILED);
        assertThat(declined.out()).contains("Shut down the application at " + cli.url);
        assertThat(cli.stack.status().state()).isEqualTo(Status.State.RUNNING);

        cli.stdin = "y\n";
        CliHarness.Run confirmed = cli.run(cli.targeted("shutdown"));
        assertThat(confirmed.exitCode).as(confirmed.err()).isZero();
        assertThat(cli.stack.status().state()).isEqualTo(Status.State.STOPPED);
    }

    @Test
    void connectionRefusedExitsThreeWithOneClearLine() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        String url = "http://127.0.0.1:" + closedPort;
        for (String command : new String[] {"status", "logs", "shutdown"}) {
            CliHarness.Run run = cli.run(command, "--url", url, "--token", "t");
            assertThat(run.exitCode).as(command).isEqualTo(Main.UNREACHABLE);
            assertThat(run.err()).isEqualTo("cannot reach the controller at " + url
                    + ": connection refused; is the application deployed? (ailtire-swarm deploy)\n");
        }
    }

    @Test
    void aWrongTokenIsRejectedInOneLine() {
        CliHarness.Run run = cli.run("status", "--url", cli.url.toString(), "--token", "wrong");
        assertThat(run.exitCode).isEqualTo(Main.FAILED);
        assertThat(run.err()).startsWith("token rejected by the controller (missing or wrong bearer token)");
        assertThat(run.err().lines()).hasSize(1);
    }

    @Test
    void noTargetIsAUsageError() {
        CliHarness.Run run = cli.run("status");
        assertThat(run.exitCode).isEqualTo(Main.USAGE);
        assertThat(run.err()).contains("no controller given");
    }

    @Test
    void theContextSendsCommandsToTheAdminUrlNotTheApplications() throws Exception {
        try (ServerSocket application = new ServerSocket(0)) {
            ContextStore.inHome(home).write(ControllerContext.deployed("shop", cli.url,
                    java.net.URI.create("http://127.0.0.1:" + application.getLocalPort()), CliHarness.TOKEN));
            assertThat(Files.readString(ContextStore.inHome(home).file("shop")))
                    .contains("\"url\" : \"" + cli.url + "\"", "\"applicationUrl\"");

            CliHarness.Run run = cli.run("status", "--app", "shop");

            assertThat(run.exitCode).as(run.err()).isZero();
            assertThat(run.out()).contains("top/", "web");
        }
    }

    @Test
    void deployRefusesOnePortForTheApplicationAndTheConsole() {
        CliHarness.Run run = cli.run("deploy", "-f", home.resolve("stack.yml").toString(), "--port", "9000",
                "--admin-port", "9000");
        assertThat(run.exitCode).isEqualTo(Main.USAGE);
        assertThat(run.err()).contains("--admin-port: the console and the control plane need a port of their own");
    }

    @Test
    void deployRefusesAPolicyThatDoesNotParseBeforeReachingAnEngine() throws Exception {
        String stack = home.resolve("stack.yml").toString();
        java.nio.file.Path policy = java.nio.file.Files.writeString(home.resolve("policy.yml"), "allow_bnd: [/srv]\n");
        CliHarness.Run relative = cli.run("deploy", "-f", stack, "--allow-bind", "data");
        CliHarness.Run capability = cli.run("deploy", "-f", stack, "--allow-cap", "NET ADMIN");
        CliHarness.Run file = cli.run("deploy", "-f", stack, "--policy-file", policy.toString());
        assertThat(java.util.List.of(relative, capability, file))
                .allSatisfy(run -> assertThat(run.exitCode).as(run.err()).isEqualTo(Main.USAGE));
        assertThat(relative.err()).contains("--allow-bind: expected an absolute host path, got \"data\"");
        assertThat(capability.err()).contains("--allow-cap: expected a capability such as NET_ADMIN");
        assertThat(file.err()).contains("--policy-file: policy.yml: allow_bnd: unknown key");
    }

    @Test
    void deployRefusesConsoleFrameAncestorsThatAreNotSourceExpressionsBeforeReachingAnEngine() {
        String stack = home.resolve("stack.yml").toString();
        CliHarness.Run directive = cli.run("deploy", "-f", stack, "--console-frame-ancestors", "'self'; script-src *");
        assertThat(directive.exitCode).as(directive.err()).isEqualTo(Main.USAGE);
        assertThat(directive.err()).contains("--console-frame-ancestors: expected CSP source expressions",
                "\"'self';\" is not one");
        cli.environment.put("AILTIRE_CONSOLE_FRAME_ANCESTORS", "https://a.example,https://b.example");
        CliHarness.Run variable = cli.run("deploy", "-f", stack);
        assertThat(variable.exitCode).as(variable.err()).isEqualTo(Main.USAGE);
        assertThat(variable.err()).contains("AILTIRE_CONSOLE_FRAME_ANCESTORS: expected CSP source expressions");
    }

    @Test
    void deployRefusesAShortOrMissingMetricsTokenBeforeReachingAnEngine() throws Exception {
        String stack = home.resolve("stack.yml").toString();
        java.nio.file.Path shortToken = home.resolve("metrics-token");
        java.nio.file.Files.writeString(shortToken, "too-short\n");
        CliHarness.Run tooShort = cli.run("deploy", "-f", stack, "--metrics-token-file", shortToken.toString());
        assertThat(tooShort.exitCode).as(tooShort.err()).isEqualTo(Main.USAGE);
        assertThat(tooShort.err()).contains("--metrics-token-file " + shortToken + ": the metrics token is too short");
        CliHarness.Run missing = cli.run("deploy", "-f", stack, "--metrics-token-file", home.resolve("nothing").toString());
        assertThat(missing.exitCode).as(missing.err()).isEqualTo(Main.USAGE);
        assertThat(missing.err()).contains("--metrics-token-file " + home.resolve("nothing") + ": cannot be read");
        cli.environment.put("AILTIRE_METRICS_TOKEN", "short");
        CliHarness.Run variable = cli.run("deploy", "-f", stack);
        assertThat(variable.exitCode).as(variable.err()).isEqualTo(Main.USAGE);
        assertThat(variable.err()).contains("AILTIRE_METRICS_TOKEN: the metrics token is too short");
    }

    @Test
    void deployRefusesAnEncryptControlNetworksSettingThatIsNotABooleanBeforeReachingAnEngine() {
        cli.environment.put("AILTIRE_ENCRYPT_CONTROL_NETWORKS", "yes");
        CliHarness.Run variable = cli.run("deploy", "-f", home.resolve("stack.yml").toString());
        assertThat(variable.exitCode).as(variable.err()).isEqualTo(Main.USAGE);
        assertThat(variable.err()).contains("AILTIRE_ENCRYPT_CONTROL_NETWORKS: expected true or false, got \"yes\"");
    }

    @Test
    void deployRefusesTlsFilesThatDoNotFitBeforeReachingAnEngine() throws Exception {
        String stack = home.resolve("stack.yml").toString();
        var shop = org.ailtire.tls.TestCertificates.make(home, "shop", "ec");
        var blog = org.ailtire.tls.TestCertificates.make(home, "blog", "ec");

        CliHarness.Run mismatched = cli.run("deploy", "-f", stack, "--tls-cert", shop.certificate().toString(),
                "--tls-key", blog.key().toString());
        CliHarness.Run keyOnly = cli.run("deploy", "-f", stack, "--tls-key", shop.key().toString());
        CliHarness.Run redirectOnly = cli.run("deploy", "-f", stack, "--https-redirect");
        CliHarness.Run samePort = cli.run("deploy", "-f", stack, "--tls-cert", shop.certificate().toString(),
                "--tls-key", shop.key().toString(), "--https-redirect", "--http-port", "8080");
        CliHarness.Run swapped = cli.run("deploy", "-f", stack, "--tls-cert", shop.key().toString(),
                "--tls-key", shop.certificate().toString());
        CliHarness.Run hstsOnly = cli.run("deploy", "-f", stack, "--hsts-max-age", "31536000");
        CliHarness.Run subdomainsOnly = cli.run("deploy", "-f", stack, "--tls-cert", shop.certificate().toString(),
                "--tls-key", shop.key().toString(), "--hsts-include-subdomains");
        CliHarness.Run negativeAge = cli.run("deploy", "-f", stack, "--tls-cert", shop.certificate().toString(),
                "--tls-key", shop.key().toString(), "--hsts-max-age", "-5");
        CliHarness.Run wordAge = cli.run("deploy", "-f", stack, "--tls-cert", shop.certificate().toString(),
                "--tls-key", shop.key().toString(), "--hsts-max-age", "year");

        assertThat(java.util.List.of(mismatched, keyOnly, redirectOnly, samePort, swapped, hstsOnly, subdomainsOnly,
                negativeAge, wordAge))
                .allSatisfy(run -> assertThat(run.exitCode).as(run.err()).isEqualTo(Main.USAGE));
        assertThat(mismatched.err()).contains("--tls-key " + blog.key() + ": this private key does not belong to"
                + " the certificate in " + shop.certificate());
        assertThat(keyOnly.err()).contains("--tls-key: needs its certificate (--tls-cert)");
        assertThat(redirectOnly.err()).contains("--https-redirect: needs TLS (--tls-cert and --tls-key)");
        assertThat(samePort.err()).contains("--http-port: expected a port of its own");
        assertThat(swapped.err()).contains("--tls-cert " + shop.key() + ": expected a PEM certificate");
        assertThat(hstsOnly.err()).contains("--hsts-max-age: needs TLS (--tls-cert and --tls-key)");
        assertThat(subdomainsOnly.err()).contains("--hsts-include-subdomains: needs --hsts-max-age");
        assertThat(negativeAge.err()).contains("--hsts-max-age: expected whole seconds from 0 to 2147483647, got -5");
        assertThat(wordAge.err()).contains("--hsts-max-age").contains("year");
    }

    @Test
    void versionAndMissingCommand() {
        CliHarness.Run version = cli.run("--version");
        assertThat(version.exitCode).isZero();
        assertThat(version.out()).startsWith("ailtire-swarm ");
        assertThat(cli.run().exitCode).isEqualTo(Main.USAGE);
        assertThat(cli.run("nonsense").exitCode).isEqualTo(Main.USAGE);
    }
}
