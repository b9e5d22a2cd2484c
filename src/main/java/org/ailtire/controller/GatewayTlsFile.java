package org.ailtire.controller;

import org.ailtire.dataplane.GatewayTls;
import org.ailtire.dataplane.Hsts;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;

/**
 * The top controller's TLS, from the environment the deploy command gives it: {@code AILTIRE_TLS_FILE} (the PEM
 * secret), {@code AILTIRE_TLS_PUBLIC_PORT} (where clients reach https) and {@code AILTIRE_HTTPS_REDIRECT_PORT} (a
 * plain port redirecting to https, when asked for), {@code AILTIRE_HSTS_MAX_AGE} and
 * {@code AILTIRE_HSTS_INCLUDE_SUBDOMAINS} (the Strict-Transport-Security header, when asked for). The PEM is copied
 * into the gateway's run directory, which only the controller and its HAProxy read.
 */
final class GatewayTlsFile {
    static final String PEM = "tls.pem";
    static final String HSTS_MAX_AGE = "AILTIRE_HSTS_MAX_AGE";
    static final String HSTS_INCLUDE_SUBDOMAINS = "AILTIRE_HSTS_INCLUDE_SUBDOMAINS";

    private GatewayTlsFile() {
    }

    static Optional<GatewayTls> fromEnvironment(Map<String, String> env, Path runDirectory) {
        String file = env.get("AILTIRE_TLS_FILE");
        if (file == null || file.isBlank()) {
            return Optional.empty();
        }
        Path pem = runDirectory.resolve(PEM);
        try {
            Files.deleteIfExists(pem);
            Files.createFile(pem, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.write(pem, Files.readAllBytes(Path.of(file)));
        } catch (IOException e) {
            throw new UncheckedIOException("AILTIRE_TLS_FILE: cannot copy " + file + " for the gateway", e);
        }
        return Optional.of(new GatewayTls(pem,
                ControllerConfig.port(env, "AILTIRE_HTTPS_REDIRECT_PORT", 0),
                ControllerConfig.port(env, "AILTIRE_TLS_PUBLIC_PORT", 443), hsts(env)));
    }

    static Optional<Hsts> hsts(Map<String, String> env) {
        String maxAge = env.get(HSTS_MAX_AGE);
        String subdomains = env.getOrDefault(HSTS_INCLUDE_SUBDOMAINS, "").strip();
        if (!subdomains.isEmpty() && !subdomains.equals("true") && !subdomains.equals("false")) {
            throw new IllegalArgumentException(HSTS_INCLUDE_SUBDOMAINS + ": expected true or false, got \""
                    + subdomains + "\"");
        }
        if (maxAge == null || maxAge.isBlank()) {
            if (subdomains.equals("true")) {
                throw new IllegalArgumentException(HSTS_INCLUDE_SUBDOMAINS + ": needs " + HSTS_MAX_AGE);
            }
            return Optional.empty();
        }
        try {
            return Optional.of(new Hsts(Long.parseLong(maxAge.strip()), subdomains.equals("true")));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(HSTS_MAX_AGE + ": expected whole seconds, got \"" + maxAge + "\"");
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(HSTS_MAX_AGE + ": " + e.getMessage(), e);
        }
    }
}
