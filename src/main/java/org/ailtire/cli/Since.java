package org.ailtire.cli;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@code --since}: a duration before now ({@code 90s}, {@code 10m}, {@code 1h30m}, {@code 2d}), an instant
 * ({@code 2026-01-31T12:00:00Z}, with an offset too), a date ({@code 2026-01-31}, midnight UTC) or epoch seconds.
 */
final class Since {
    private static final Pattern DURATION = Pattern.compile("(?:(\\d+)(ms|s|m|h|d))+");
    private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h|d)");

    private Since() {
    }

    static Instant parse(String text, Clock clock) {
        String t = text.strip();
        if (DURATION.matcher(t).matches()) {
            Duration total = Duration.ZERO;
            Matcher part = PART.matcher(t);
            while (part.find()) {
                long n = Long.parseLong(part.group(1));
                total = total.plus(switch (part.group(2)) {
                    case "ms" -> Duration.ofMillis(n);
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    case "h" -> Duration.ofHours(n);
                    default -> Duration.ofDays(n);
                });
            }
            return clock.instant().minus(total);
        }
        if (t.matches("\\d+")) {
            return Instant.ofEpochSecond(Long.parseLong(t));
        }
        try {
            return OffsetDateTime.parse(t).toInstant();
        } catch (DateTimeParseException notDateTime) {
            try {
                return LocalDate.parse(t).atStartOfDay(ZoneOffset.UTC).toInstant();
            } catch (DateTimeParseException notDate) {
                throw new IllegalArgumentException("expected a duration (10m, 1h30m, 2d), an instant "
                        + "(2026-01-31T12:00:00Z), a date (2026-01-31) or epoch seconds, got " + text);
            }
        }
    }
}
