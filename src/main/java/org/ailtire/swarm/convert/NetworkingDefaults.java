package org.ailtire.swarm.convert;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Endpoint and publish defaults, and what the host can do. Swarm's virtual IPs and its ingress routing mesh are
 * built on IPVS; without the {@code ip_vs} kernel module they are accepted by the engine but never route, so the
 * converter refuses them explicitly and picks {@code dnsrr} and host-mode ports instead.
 *
 * @param endpointMode  the endpoint mode of services that do not set {@code deploy.endpoint_mode}
 * @param ipvsAvailable whether the host kernel has IPVS
 */
public record NetworkingDefaults(EndpointModeSetting endpointMode, boolean ipvsAvailable) {
    /** The environment variable that chooses {@link #endpointMode}. */
    public static final String ENDPOINT_MODE_VARIABLE = "AILTIRE_ENDPOINT_MODE";

    private static final Path[] IPVS_MARKERS = {Path.of("/sys/module/ip_vs"), Path.of("/proc/net/ip_vs")};

    public enum EndpointModeSetting { AUTO, VIP, DNSRR }  // AUTO: dnsrr without IPVS, vip with it

    public NetworkingDefaults {
        Objects.requireNonNull(endpointMode, "endpointMode");
    }

    /**
     * Reads {@code AILTIRE_ENDPOINT_MODE} ({@code auto|vip|dnsrr}, default auto) and probes IPVS
     * ({@code /sys/module/ip_vs} or {@code /proc/net/ip_vs} exists).
     *
     * @throws IllegalArgumentException when the variable holds anything else
     */
    public static NetworkingDefaults detect(Map<String, String> environment) {
        return detect(environment, Files::exists);
    }

    static NetworkingDefaults detect(Map<String, String> environment, Predicate<Path> exists) {
        boolean ipvs = false;
        for (Path marker : IPVS_MARKERS) {
            ipvs |= exists.test(marker);
        }
        return new NetworkingDefaults(parseSetting(environment.get(ENDPOINT_MODE_VARIABLE)), ipvs);
    }

    static EndpointModeSetting parseSetting(String value) {
        if (value == null || value.isBlank()) {
            return EndpointModeSetting.AUTO;
        }
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "auto" -> EndpointModeSetting.AUTO;
            case "vip" -> EndpointModeSetting.VIP;
            case "dnsrr" -> EndpointModeSetting.DNSRR;
            default -> throw new IllegalArgumentException(ENDPOINT_MODE_VARIABLE + " must be auto, vip or dnsrr, got \""
                    + value + "\"");
        };
    }

    /** The endpoint mode for services that do not choose one: the setting, with AUTO resolved by the probe. */
    public boolean defaultsToVip() {
        return switch (endpointMode) {
            case AUTO -> ipvsAvailable;
            case VIP -> true;
            case DNSRR -> false;
        };
    }
}
