package org.ailtire.definition;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parsers for the unit-bearing values of a Compose file, following the docker CLI: Go durations, byte sizes in
 * binary units, and CPU counts. Each throws {@link IllegalArgumentException} with a message fit for a problem.
 */
final class Units {
    private static final Pattern DURATION_PART = Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|µs|μs|ms|s|m|h)");
    private static final Map<String, Long> NANOS_PER_UNIT = Map.of("ns", 1L, "us", 1_000L, "µs", 1_000L,
            "μs", 1_000L, "ms", 1_000_000L, "s", 1_000_000_000L, "m", 60_000_000_000L, "h", 3_600_000_000_000L);
    private static final Pattern BYTES = Pattern.compile("(\\d+(?:\\.\\d+)?) ?([kmgtp])?i?b?");
    private static final BigDecimal NANOS_PER_CPU = BigDecimal.valueOf(1_000_000_000L);

    private Units() {
    }

    /** A Go duration such as {@code 1m30s}, {@code 500ms} or {@code 2us}; only {@code 0} may omit the unit. */
    static Duration duration(String text) {
        if (text.equals("0")) {
            return Duration.ZERO;
        }
        if (text.matches("\\d+(\\.\\d+)?")) {
            throw new IllegalArgumentException("a duration needs a unit, e.g. \"" + text + "s\" (units: ns, us, ms, s, m, h)");
        }
        Matcher part = DURATION_PART.matcher(text);
        BigDecimal nanos = BigDecimal.ZERO;
        int at = 0;
        while (at < text.length() && part.find(at) && part.start() == at) {
            nanos = nanos.add(new BigDecimal(part.group(1)).multiply(BigDecimal.valueOf(NANOS_PER_UNIT.get(part.group(2)))));
            at = part.end();
        }
        if (at == 0 || at != text.length()) {
            throw new IllegalArgumentException("expected a duration such as \"10s\", \"1m30s\" or \"500ms\", got \"" + text + "\"");
        }
        return Duration.ofNanos(nanos.longValue());
    }

    /** A size such as {@code 512M}, {@code 1g}, {@code 1024k}, {@code 100b} (binary multiples, like docker). */
    static long bytes(String text) {
        Matcher m = BYTES.matcher(text.toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("expected a size such as \"512M\", \"1g\" or \"1024k\", got \"" + text + "\"");
        }
        int power = m.group(2) == null ? 0 : "kmgtp".indexOf(m.group(2)) + 1;
        BigDecimal bytes = new BigDecimal(m.group(1)).multiply(new BigDecimal(BigInteger.valueOf(1024).pow(power)));
        if (bytes.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            throw new IllegalArgumentException("size \"" + text + "\" is too large");
        }
        return bytes.longValue();
    }

    /** CPUs as a decimal ({@code 0.5}) converted to nano CPUs, exactly, like {@code docker --cpus}. */
    static long nanoCpus(String text) {
        BigDecimal cpus;
        try {
            cpus = new BigDecimal(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected a number of CPUs such as \"0.5\" or \"2\", got \"" + text + "\"");
        }
        if (cpus.signum() < 0) {
            throw new IllegalArgumentException("CPUs must not be negative, got \"" + text + "\"");
        }
        try {
            return cpus.multiply(NANOS_PER_CPU).longValueExact();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("CPUs must be a multiple of 0.000000001 and fit in 64 bits, got \"" + text + "\"");
        }
    }
}
