package org.ailtire.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.ailtire.protocol.ControlPlaneClient;
import org.ailtire.protocol.ControlPlaneException;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/** {@code webhook}: the stack's redeploy webhook for CI, shown, made (its secret printed once) or turned off. */
@Command(name = "webhook", mixinStandardHelpOptions = true,
        description = {"Show the stack's redeploy webhook, make its secret (--create, printed this once; a new one "
                + "replaces the old), or turn it off (--delete). A CI POSTs to the URL, signed with the secret in "
                + "X-Ailtire-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, \"<t>.\" + body)>; the body "
                + "{\"services\": [...]} or none (all). The controller resolves the tags again and updates the "
                + "services whose digest moved. Unsigned, wrongly signed, old or replayed deliveries are refused.",
                "Exits 0 when done, 1 when there is no webhook or the controller refused."})
public final class WebhookCommand extends ClientCommand implements Callable<Integer> {
    static final class Action {
        @Option(names = "--create", description = "Make the secret (replacing any) and print it, once.")
        boolean create;

        @Option(names = "--delete", description = "Turn the webhook off.")
        boolean delete;
    }

    @ArgGroup(exclusive = true)
    Action action = new Action();

    public WebhookCommand(CliEnvironment env) {
        super(env);
    }

    @Override
    public Integer call() throws Exception {
        ControlPlaneClient client = context().client();
        try {
            if (action.delete) {
                client.deleteWebhook();
                env.out().println("webhook turned off: deliveries are refused");
                return Main.OK;
            }
            JsonNode hook = action.create ? client.createWebhook() : client.webhook();
            String url = client.base().resolve(hook.path("url").asText()).toString();
            env.out().println("url:     " + TerminalText.clean(url));
            env.out().println("since:   " + TerminalText.clean(hook.path("createdAt").asText()));
            if (action.create) {
                String secret = hook.path("secret").asText();
                env.out().println("secret:  " + TerminalText.clean(secret) + "   (shown this once: keep it in your CI's secrets)");
                env.out().println();
                env.out().println("deliver, e.g. from a CI job:");
                env.out().println("  body='{\"services\":[]}'; t=$(date +%s)");
                env.out().println("  sig=$(printf '%s.%s' \"$t\" \"$body\" | openssl dgst -sha256 -hmac \"$SECRET\" | sed 's/^.* //')");
                env.out().println("  curl -fsS -X POST -H 'Content-Type: application/json' -H \"X-Ailtire-Signature: t=$t,v1=$sig\" \\");
                env.out().println("       -d \"$body\" " + TerminalText.clean(url));
            }
            return Main.OK;
        } catch (ControlPlaneException e) {
            if (e.status() == 404 || e.status() == 503) {
                env.err().println(TerminalText.clean(e.error()));
                return Main.FAILED;
            }
            throw e;
        }
    }
}
