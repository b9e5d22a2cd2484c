package org.ailtire.tls;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Self-signed certificates for tests, made by {@code openssl} (installed where the tests run). */
public final class TestCertificates {
    /** A certificate and its key, as two PEM files. */
    public record Pair(Path certificate, Path key) {
        /** Both in one file, certificate first, as HAProxy reads them. */
        public Path combined(Path file) throws Exception {
            Files.writeString(file, Files.readString(certificate) + Files.readString(key));
            return file;
        }
    }

    private TestCertificates() {
    }

    /** A certificate for 127.0.0.1 and localhost, valid for two days; {@code key} names the key type (ec or rsa). */
    public static Pair make(Path directory, String name, String key, String... extra) throws Exception {
        Path cert = directory.resolve(name + "-cert.pem");
        Path keyFile = directory.resolve(name + "-key.pem");
        List<String> command = new ArrayList<>(List.of("openssl", "req", "-x509", "-nodes", "-days", "2",
                "-subj", "/CN=" + name, "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
                "-keyout", keyFile.toString(), "-out", cert.toString()));
        command.addAll(key.equals("ec") ? List.of("-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1")
                : List.of("-newkey", "rsa:2048"));
        command.addAll(List.of(extra));
        Process openssl = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(openssl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!openssl.waitFor(60, TimeUnit.SECONDS) || openssl.exitValue() != 0) {
            throw new IllegalStateException("openssl failed: " + output);
        }
        return new Pair(cert, keyFile);
    }

    /** A client context that trusts exactly these certificates (the first one of each file). */
    public static SSLContext trusting(Path... certificates) throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        for (int i = 0; i < certificates.length; i++) {
            try (InputStream in = Files.newInputStream(certificates[i])) {
                trust.setCertificateEntry("gateway-" + i, CertificateFactory.getInstance("X.509").generateCertificate(in));
            }
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }
}
