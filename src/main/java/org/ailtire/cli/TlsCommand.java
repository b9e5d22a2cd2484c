package org.ailtire.cli;

import org.ailtire.protocol.ControlPlaneException;
import org.ailtire.protocol.ControlPlaneClient;
import com.fasterxml.jackson.databind.JsonNode;
import org.ailtire.tls.TlsCertificate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code tls}: shows the certificate the top gateway serves, or replaces it without a restart. */
@Command(name = "tls", mixinStandardHelpOptions = true,
        description = {"Show the certificate the application's gateway serves over TLS, or replace it with"
                + " --tls-cert and --tls-key: the running gateway serves the new one at once, open connections are"
                + " not dropped and nothing restarts. It is kept for restarts of the top controller, until another"
                + " replaces it (through tls, or a deploy with another certificate, which hands it over the same way).",
                "Exits 0 when done, 1 when the controller refused (e.g. the gateway serves plain HTTP)."})
public final class TlsCommand extends ClientCommand implements Callable<Integer> {
    @Option(names = "--tls-cert", paramLabel = "FILE",
            description = "The new certificate (PEM): the server's first, then its chain.")
    Path certificate;

    @Option(names = "--tls-key", paramLabel = "FILE",
            description = "The new certificate's private key (PEM, unencrypted PKCS#8).")
    Path key;

    public TlsCommand(CliEnvironment env) {
        super(env);
    }

    @Override
    public Integer call() throws Exception {
        if ((certificate == null) != (key == null)) {
            env.err().println(certificate == null ? "--tls-key: give --tls-cert with it" : "--tls-cert: give --tls-key with it");
            return Main.USAGE;
        }
        TlsCertificate checked = null;
        if (certificate != null) {
            try {
                checked = TlsCertificate.read(certificate, key);
            } catch (IllegalArgumentException e) {
                env.err().println(e.getMessage());
                return Main.USAGE;
            }
        }
        ControlPlaneClient client = context().client();
        JsonNode served;
        try {
            served = checked == null ? client.tls() : client.replaceTls(
                    java.nio.file.Files.readString(certificate, StandardCharsets.US_ASCII),
                    java.nio.file.Files.readString(key, StandardCharsets.US_ASCII));
        } catch (ControlPlaneException e) {
            if (e.status() == 404 || e.status() == 409 || e.status() == 400 || e.status() == 503) {
                env.err().println((checked == null ? "" : "certificate not replaced: ") + TerminalText.clean(e.error()
                        + (e.details().isEmpty() ? "" : ": " + String.join("; ", e.details()))));
                return Main.FAILED;
            }
            throw e;
        }
        env.out().println((checked == null ? "serving " : "now serving, without a restart: ")
                + TerminalText.clean(served.path("subject").asText() + ", valid until " + served.path("notAfter").asText()));
        env.out().println("  sha-256 " + TerminalText.clean(served.path("fingerprint").asText() + "; "
                + (served.path("origin").asText().equals("deploy") ? "the certificate given at deploy"
                : "given " + served.path("since").asText() + " by " + served.path("actor").asText())));
        return Main.OK;
    }
}
