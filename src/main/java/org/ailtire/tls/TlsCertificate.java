package org.ailtire.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static java.nio.charset.StandardCharsets.US_ASCII;

/**
 * A certificate chain and its private key from PEM files, checked with the JDK before anything is deployed: the
 * first certificate is the server's, it is valid now, and the key is the one its public key belongs to. {@link #pem()}
 * is the one file HAProxy reads (chain, then key).
 *
 * @param subject  the server certificate's subject, for messages
 * @param notAfter when it expires
 */
public record TlsCertificate(byte[] pem, String subject, Instant notAfter) {
    private static final Pattern KEY = Pattern.compile(
            "-----BEGIN ([A-Z ]*)PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END \\1PRIVATE KEY-----");

    /** @throws IllegalArgumentException saying what is wrong with which file */
    public static TlsCertificate read(Path certificateFile, Path keyFile) {
        return read(certificateFile, keyFile, Instant.now());
    }

    static TlsCertificate read(Path certificateFile, Path keyFile, Instant now) {
        return parse(text(certificateFile, "--tls-cert"), text(keyFile, "--tls-key"),
                "--tls-cert " + certificateFile, "--tls-key " + keyFile, now);
    }

    /**
     * The same checks on PEM text received over the network.
     *
     * @param certificateSource how messages name where the certificates came from (e.g. {@code certificate})
     * @param keySource         how messages name where the key came from
     * @throws IllegalArgumentException saying what is wrong with which of the two
     */
    public static TlsCertificate parse(String certificates, String key, String certificateSource, String keySource) {
        return parse(certificates, key, certificateSource, keySource, Instant.now());
    }

    static TlsCertificate parse(String certificates, String key, String certificateSource, String keySource,
                                Instant now) {
        boolean asciiCertificates = US_ASCII.newEncoder().canEncode(certificates);
        if (!asciiCertificates || !US_ASCII.newEncoder().canEncode(key)) {
            throw new IllegalArgumentException((asciiCertificates ? keySource : certificateSource)
                    + ": PEM is ASCII text, this holds other characters");
        }
        List<X509Certificate> chain = certificates(certificates, certificateSource);
        X509Certificate server = chain.getFirst();
        if (server.getNotAfter().toInstant().isBefore(now)) {
            throw new IllegalArgumentException(certificateSource + ": the certificate for "
                    + server.getSubjectX500Principal().getName() + " expired on " + server.getNotAfter().toInstant());
        }
        if (server.getNotBefore().toInstant().isAfter(now)) {
            throw new IllegalArgumentException(certificateSource + ": the certificate for "
                    + server.getSubjectX500Principal().getName() + " is valid only from "
                    + server.getNotBefore().toInstant());
        }
        PrivateKey privateKey = privateKey(key, keySource);
        if (!belongTogether(server, privateKey)) {
            String certificate = certificateSource.startsWith("--tls-cert ")
                    ? "the certificate in " + certificateSource.substring("--tls-cert ".length()) : "the " + certificateSource;
            throw new IllegalArgumentException(keySource + ": this private key does not belong to " + certificate + " ("
                    + server.getSubjectX500Principal().getName() + ")");
        }
        String pem = certificates.strip() + "\n" + key.strip() + "\n";
        return new TlsCertificate(pem.getBytes(US_ASCII), server.getSubjectX500Principal().getName(),
                server.getNotAfter().toInstant());
    }

    /**
     * The server certificate of a PEM HAProxy serves (chain and key in one file), read without the checks: a
     * certificate that expired while it was served is described, not refused.
     *
     * @throws IllegalArgumentException when it holds no certificate
     */
    public static TlsCertificate described(byte[] pem) {
        String text = new String(pem, US_ASCII);
        Matcher key = KEY.matcher(text);
        List<X509Certificate> chain = certificates(key.find() ? key.replaceAll("") : text, "the served PEM");
        X509Certificate server = chain.getFirst();
        return new TlsCertificate(pem, server.getSubjectX500Principal().getName(), server.getNotAfter().toInstant());
    }

    /** SHA-256 of the PEM HAProxy serves, in hex: names a certificate and key without showing them. */
    public String fingerprint() {
        return fingerprint(pem);
    }

    public static String fingerprint(byte[] pem) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(pem));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
    }

    private static String text(Path file, String option) {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(option + " " + file + ": cannot read it as a PEM file ("
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")");
        }
    }

    private static List<X509Certificate> certificates(String pem, String source) {
        if (!pem.contains("-----BEGIN CERTIFICATE-----")) {
            throw new IllegalArgumentException(source + ": expected a PEM certificate"
                    + " (-----BEGIN CERTIFICATE-----), the server's first and then its chain");
        }
        if (pem.contains("PRIVATE KEY-----")) {
            throw new IllegalArgumentException(source + ": holds a private key; give the key with"
                    + " --tls-key and only certificates here");
        }
        try {
            List<X509Certificate> chain = new ArrayList<>();
            for (var certificate : CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem.getBytes(US_ASCII)))) {
                chain.add((X509Certificate) certificate);
            }
            if (chain.isEmpty()) {
                throw new CertificateException("no certificate in it");
            }
            return chain;
        } catch (CertificateException e) {
            throw new IllegalArgumentException(source + ": not a valid PEM certificate ("
                    + e.getMessage() + ")");
        }
    }

    private static PrivateKey privateKey(String pem, String source) {
        Matcher matcher = KEY.matcher(pem);
        if (!matcher.find()) {
            throw new IllegalArgumentException(source + ": expected a PEM private key"
                    + " (-----BEGIN PRIVATE KEY-----)");
        }
        String kind = matcher.group(1).strip();
        if (!kind.isEmpty()) {
            throw new IllegalArgumentException(source + ": a " + kind + " private key; expected an"
                    + " unencrypted PKCS#8 key (-----BEGIN PRIVATE KEY-----), e.g. from `openssl pkcs8 -topk8 -nocrypt"
                    + " -in " + Path.of(source.replaceFirst("^--tls-key ", "")).getFileName() + "`");
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(matcher.group(2));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ": the key's base64 is damaged");
        }
        for (String algorithm : List.of("RSA", "EC", "Ed25519", "Ed448")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException notThisOne) {
                // the next algorithm
            }
        }
        throw new IllegalArgumentException(source + ": not an RSA, EC or EdDSA private key the JDK can"
                + " read");
    }

    /** The key signs, the certificate's public key verifies: they are one pair. */
    private static boolean belongTogether(X509Certificate certificate, PrivateKey key) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default -> key.getAlgorithm(); // Ed25519, Ed448
        };
        byte[] challenge = "ailtire-swarm key check".getBytes(StandardCharsets.US_ASCII);
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(challenge);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false; // e.g. an EC key against an RSA certificate
        }
    }
}
