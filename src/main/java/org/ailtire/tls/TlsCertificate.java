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
        String certificates = text(certificateFile, "--tls-cert");
        String key = text(keyFile, "--tls-key");
        List<X509Certificate> chain = certificates(certificates, certificateFile);
        X509Certificate server = chain.getFirst();
        if (server.getNotAfter().toInstant().isBefore(now)) {
            throw new IllegalArgumentException("--tls-cert " + certificateFile + ": the certificate for "
                    + server.getSubjectX500Principal().getName() + " expired on " + server.getNotAfter().toInstant());
        }
        if (server.getNotBefore().toInstant().isAfter(now)) {
            throw new IllegalArgumentException("--tls-cert " + certificateFile + ": the certificate for "
                    + server.getSubjectX500Principal().getName() + " is valid only from "
                    + server.getNotBefore().toInstant());
        }
        PrivateKey privateKey = privateKey(key, keyFile);
        if (!belongTogether(server, privateKey)) {
            throw new IllegalArgumentException("--tls-key " + keyFile + ": this private key does not belong to the"
                    + " certificate in " + certificateFile + " (" + server.getSubjectX500Principal().getName() + ")");
        }
        String pem = certificates.strip() + "\n" + key.strip() + "\n";
        return new TlsCertificate(pem.getBytes(StandardCharsets.US_ASCII), server.getSubjectX500Principal().getName(),
                server.getNotAfter().toInstant());
    }

    private static String text(Path file, String option) {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(option + " " + file + ": cannot read it as a PEM file ("
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")");
        }
    }

    private static List<X509Certificate> certificates(String pem, Path file) {
        if (!pem.contains("-----BEGIN CERTIFICATE-----")) {
            throw new IllegalArgumentException("--tls-cert " + file + ": expected a PEM certificate"
                    + " (-----BEGIN CERTIFICATE-----), the server's first and then its chain");
        }
        if (pem.contains("PRIVATE KEY-----")) {
            throw new IllegalArgumentException("--tls-cert " + file + ": holds a private key; give the key with"
                    + " --tls-key and only certificates here");
        }
        try {
            List<X509Certificate> chain = new ArrayList<>();
            for (var certificate : CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))) {
                chain.add((X509Certificate) certificate);
            }
            if (chain.isEmpty()) {
                throw new CertificateException("no certificate in it");
            }
            return chain;
        } catch (CertificateException e) {
            throw new IllegalArgumentException("--tls-cert " + file + ": not a valid PEM certificate ("
                    + e.getMessage() + ")");
        }
    }

    private static PrivateKey privateKey(String pem, Path file) {
        Matcher matcher = KEY.matcher(pem);
        if (!matcher.find()) {
            throw new IllegalArgumentException("--tls-key " + file + ": expected a PEM private key"
                    + " (-----BEGIN PRIVATE KEY-----)");
        }
        String kind = matcher.group(1).strip();
        if (!kind.isEmpty()) {
            throw new IllegalArgumentException("--tls-key " + file + ": a " + kind + " private key; expected an"
                    + " unencrypted PKCS#8 key (-----BEGIN PRIVATE KEY-----), e.g. from `openssl pkcs8 -topk8 -nocrypt"
                    + " -in " + file.getFileName() + "`");
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(matcher.group(2));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--tls-key " + file + ": the key's base64 is damaged");
        }
        for (String algorithm : List.of("RSA", "EC", "Ed25519", "Ed448")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException notThisOne) {
                // the next algorithm
            }
        }
        throw new IllegalArgumentException("--tls-key " + file + ": not an RSA, EC or EdDSA private key the JDK can"
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
