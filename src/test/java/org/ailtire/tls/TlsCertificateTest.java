package org.ailtire.tls;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TlsCertificateTest {
    @TempDir
    Path dir;

    @Test
    void aCertificateAndItsKeyBecomeOnePemCertificateFirst() throws Exception {
        for (String type : new String[] {"ec", "rsa"}) {
            TestCertificates.Pair pair = TestCertificates.make(dir, "shop-" + type, type);

            TlsCertificate tls = TlsCertificate.read(pair.certificate(), pair.key());

            String pem = new String(tls.pem(), StandardCharsets.US_ASCII);
            assertThat(pem).startsWith("-----BEGIN CERTIFICATE-----").contains("-----BEGIN PRIVATE KEY-----")
                    .endsWith("-----END PRIVATE KEY-----\n");
            assertThat(tls.subject()).isEqualTo("CN=shop-" + type);
        }
    }

    @Test
    void aKeyOfAnotherCertificateIsRefused() throws Exception {
        TestCertificates.Pair shop = TestCertificates.make(dir, "shop", "ec");
        TestCertificates.Pair blog = TestCertificates.make(dir, "blog", "ec");
        TestCertificates.Pair rsa = TestCertificates.make(dir, "rsa", "rsa");

        assertThatThrownBy(() -> TlsCertificate.read(shop.certificate(), blog.key()))
                .hasMessage("--tls-key " + blog.key() + ": this private key does not belong to the certificate in "
                        + shop.certificate() + " (CN=shop)");
        assertThatThrownBy(() -> TlsCertificate.read(shop.certificate(), rsa.key()))
                .hasMessageContaining("does not belong to the certificate");
    }

    @Test
    void filesThatAreNotWhatTheyShouldBeAreNamed() throws Exception {
        TestCertificates.Pair shop = TestCertificates.make(dir, "shop", "ec");
        Path garbage = Files.writeString(dir.resolve("garbage.pem"), "hello\n");
        Path broken = Files.writeString(dir.resolve("broken.pem"),
                "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
        Path pkcs1 = Files.writeString(dir.resolve("pkcs1.pem"),
                "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n");

        assertThatThrownBy(() -> TlsCertificate.read(garbage, shop.key()))
                .hasMessageStartingWith("--tls-cert " + garbage + ": expected a PEM certificate");
        assertThatThrownBy(() -> TlsCertificate.read(broken, shop.key()))
                .hasMessageStartingWith("--tls-cert " + broken + ": not a valid PEM certificate");
        assertThatThrownBy(() -> TlsCertificate.read(shop.key(), shop.key()))
                .hasMessageStartingWith("--tls-cert " + shop.key() + ": expected a PEM certificate");
        assertThatThrownBy(() -> TlsCertificate.read(shop.certificate(), shop.certificate()))
                .hasMessageStartingWith("--tls-key " + shop.certificate() + ": expected a PEM private key");
        assertThatThrownBy(() -> TlsCertificate.read(shop.certificate(), pkcs1))
                .hasMessageContaining("a RSA private key; expected an unencrypted PKCS#8 key");
        assertThatThrownBy(() -> TlsCertificate.read(dir.resolve("missing.pem"), shop.key()))
                .hasMessageStartingWith("--tls-cert " + dir.resolve("missing.pem") + ": cannot read it");
    }

    @Test
    void aCertificateOutsideItsValidityIsRefused() throws Exception {
        TestCertificates.Pair pair = TestCertificates.make(dir, "shop", "ec");
        java.time.Instant notAfter = TlsCertificate.read(pair.certificate(), pair.key()).notAfter();

        assertThatThrownBy(() -> TlsCertificate.read(pair.certificate(), pair.key(), notAfter.plusSeconds(60)))
                .hasMessage("--tls-cert " + pair.certificate() + ": the certificate for CN=shop expired on " + notAfter);
        assertThatThrownBy(() -> TlsCertificate.read(pair.certificate(), pair.key(),
                notAfter.minus(java.time.Duration.ofDays(30))))
                .hasMessageStartingWith("--tls-cert " + pair.certificate() + ": the certificate for CN=shop is valid only from");
    }

    @Test
    void textFromTheNetworkIsCheckedTheSameWayAndNamedByWhereItCameFrom() throws Exception {
        TestCertificates.Pair shop = TestCertificates.make(dir, "shop", "ec");
        TestCertificates.Pair blog = TestCertificates.make(dir, "blog", "rsa");
        String certificate = Files.readString(shop.certificate());

        TlsCertificate parsed = TlsCertificate.parse(certificate, Files.readString(shop.key()), "certificate", "key");

        assertThat(parsed.pem()).isEqualTo(TlsCertificate.read(shop.certificate(), shop.key()).pem());
        assertThat(parsed.fingerprint()).hasSize(64).isEqualTo(TlsCertificate.fingerprint(parsed.pem()));
        assertThatThrownBy(() -> TlsCertificate.parse(certificate, Files.readString(blog.key()), "certificate", "key"))
                .hasMessage("key: this private key does not belong to the certificate (CN=shop)");
        assertThatThrownBy(() -> TlsCertificate.parse("hello", Files.readString(shop.key()), "certificate", "key"))
                .hasMessageStartingWith("certificate: expected a PEM certificate");
        assertThatThrownBy(() -> TlsCertificate.parse(certificate + "\u00e9", Files.readString(shop.key()),
                "certificate", "key")).hasMessage("certificate: PEM is ASCII text, this holds other characters");
    }

    @Test
    void aServedPemIsDescribedEvenOnceItExpired() throws Exception {
        TestCertificates.Pair pair = TestCertificates.make(dir, "shop", "ec");
        byte[] pem = TlsCertificate.read(pair.certificate(), pair.key()).pem();

        TlsCertificate described = TlsCertificate.described(pem);

        assertThat(described.subject()).isEqualTo("CN=shop");
        assertThat(described.notAfter()).isEqualTo(TlsCertificate.read(pair.certificate(), pair.key()).notAfter());
        assertThatThrownBy(() -> TlsCertificate.described("-----BEGIN PRIVATE KEY-----\nAA==\n-----END PRIVATE KEY-----\n"
                .getBytes(StandardCharsets.US_ASCII))).isInstanceOf(IllegalArgumentException.class);
    }
}
