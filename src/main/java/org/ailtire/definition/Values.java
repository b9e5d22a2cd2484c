package org.ailtire.definition;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads typed values out of the YAML tree. Each reader reports a problem at the given path and returns null when
 * the value has the wrong shape. Strings are accepted wherever a number or boolean is expected, because
 * interpolation ({@code replicas: ${REPLICAS}}) always yields strings, as in the docker CLI.
 */
final class Values {
    private static final Set<String> TRUE = Set.of("true", "yes", "y", "on");
    private static final Set<String> FALSE = Set.of("false", "no", "n", "off");

    private Values() {
    }

    static String string(Object value, String path, Problems problems) {
        if (value instanceof Scalar scalar) {
            return scalar.text();
        }
        if (value != null) {
            problems.error(path, "expected a string, got " + describe(value));
        }
        return null;
    }

    static Integer integer(Object value, String path, Problems problems) {
        Long number = longValue(value, path, problems, "an integer");
        if (number != null && (number > Integer.MAX_VALUE || number < Integer.MIN_VALUE)) {
            problems.error(path, "integer out of range: " + number);
            return null;
        }
        return number == null ? null : number.intValue();
    }

    static Integer nonNegative(Object value, String path, Problems problems) {
        Integer number = integer(value, path, problems);
        if (number != null && number < 0) {
            problems.error(path, "must not be negative, got " + number);
            return null;
        }
        return number;
    }

    static Long longValue(Object value, String path, Problems problems, String expected) {
        if (value == null) {
            return null;
        }
        if (value instanceof Scalar scalar && (scalar.kind() == Scalar.Kind.INT || scalar.kind() == Scalar.Kind.STRING)) {
            try {
                return parseInteger(scalar.text().trim()).longValueExact();
            } catch (NumberFormatException | ArithmeticException e) {
                // reported below
            }
        }
        problems.error(path, "expected " + expected + ", got " + describe(value));
        return null;
    }

    static Double number(Object value, String path, Problems problems) {
        if (value instanceof Scalar scalar && scalar.kind() != Scalar.Kind.BOOL) {
            try {
                return new BigDecimal(scalar.text().trim()).doubleValue();
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        if (value != null) {
            problems.error(path, "expected a number, got " + describe(value));
        }
        return null;
    }

    static Boolean bool(Object value, String path, Problems problems) {
        if (value instanceof Scalar scalar && (scalar.kind() == Scalar.Kind.BOOL || scalar.kind() == Scalar.Kind.STRING)) {
            String text = scalar.text().trim().toLowerCase(Locale.ROOT);
            if (TRUE.contains(text)) {
                return true;
            }
            if (FALSE.contains(text)) {
                return false;
            }
        }
        if (value != null) {
            problems.error(path, "expected true or false, got " + describe(value));
        }
        return null;
    }

    /** A value parsed from its text by a {@link Units} parser; numbers are passed as text too. */
    static <T> T parsed(Object value, String path, Problems problems, Function<String, T> parser) {
        String text = string(value, path, problems);
        if (text == null) {
            return null;
        }
        try {
            return parser.apply(text.trim());
        } catch (IllegalArgumentException e) {
            problems.error(path, e.getMessage());
            return null;
        }
    }

    /** A list of strings; a lone string is accepted as a list of one when {@code single} allows it. */
    static List<String> strings(Object value, String path, Problems problems, boolean single) {
        if (value == null) {
            return null;
        }
        if (single && value instanceof Scalar scalar) {
            return List.of(scalar.text());
        }
        if (!(value instanceof List<?> list)) {
            problems.error(path, "expected a list" + (single ? " or a string" : "") + ", got " + describe(value));
            return null;
        }
        List<String> strings = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            String item = string(list.get(i), Problems.index(path, i), problems);
            if (item == null && list.get(i) == null) {
                problems.error(Problems.index(path, i), "expected a string, got null");
            }
            if (item != null) {
                strings.add(item);
            }
        }
        return strings;
    }

    /**
     * A string map given as a mapping or as a list of {@code KEY=VALUE} (a {@code KEY} without "=" maps to null).
     * A null value in a mapping stays null: the caller decides what it means.
     */
    static Map<String, String> stringMap(Object value, String path, Problems problems) {
        Map<String, String> result = new LinkedHashMap<>();
        if (value instanceof Map<?, ?> map) {
            map.forEach((key, item) -> {
                String text = string(item, Problems.child(path, (String) key), problems);
                if (item == null || text != null) {
                    result.put((String) key, text);
                }
            });
        } else if (value instanceof List<?>) {
            List<String> entries = strings(value, path, problems, false);
            for (String entry : entries) {
                int equals = entry.indexOf('=');
                result.put(equals < 0 ? entry : entry.substring(0, equals), equals < 0 ? null : entry.substring(equals + 1));
            }
        } else if (value != null) {
            problems.error(path, "expected a mapping or a list of KEY=VALUE, got " + describe(value));
        }
        return result;
    }

    /** An enumerated choice written in lower case with dashes, e.g. {@code on-failure} for {@code ON_FAILURE}. */
    static <E extends Enum<E>> E choice(Object value, String path, Problems problems, Class<E> type) {
        String text = string(value, path, problems);
        if (text == null) {
            return null;
        }
        List<String> allowed = new ArrayList<>();
        for (E constant : type.getEnumConstants()) {
            String spelled = constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
            if (spelled.equals(text)) {
                return constant;
            }
            allowed.add(spelled);
        }
        problems.error(path, "expected one of " + String.join(", ", allowed) + ", got \"" + text + "\"");
        return null;
    }

    /** The tree as plain Java values (maps, lists, strings, integers, doubles, booleans, null) for extensions. */
    static Object plain(Object value) {
        return switch (value) {
            case Map<?, ?> map -> {
                Map<String, Object> copy = new LinkedHashMap<>();
                map.forEach((key, item) -> copy.put((String) key, plain(item)));
                yield java.util.Collections.unmodifiableMap(copy);
            }
            case List<?> list -> java.util.Collections.unmodifiableList(new ArrayList<>(list.stream().map(Values::plain).toList()));
            case Scalar scalar -> switch (scalar.kind()) {
                case STRING -> scalar.text();
                case BOOL -> Boolean.parseBoolean(scalar.text().toLowerCase(Locale.ROOT));
                case FLOAT -> floating(scalar.text());
                case INT -> {
                    BigInteger number = parseInteger(scalar.text());
                    yield number.bitLength() < 32 ? (Object) number.intValue()
                            : number.bitLength() < 64 ? (Object) number.longValue() : number;
                }
            };
            case null, default -> null;
        };
    }

    static String describe(Object value) {
        return switch (value) {
            case null -> "null";
            case Map<?, ?> map -> "a mapping";
            case List<?> list -> "a list";
            case Scalar scalar when scalar.kind() == Scalar.Kind.STRING -> "\"" + scalar.text() + "\"";
            case Scalar scalar -> scalar.text();
            default -> value.toString();
        };
    }

    /** YAML 1.2 core integers: decimal, {@code 0o} octal, {@code 0x} hexadecimal. */
    static BigInteger parseInteger(String text) {
        String digits = text.startsWith("+") ? text.substring(1) : text;
        if (digits.startsWith("0o")) {
            return new BigInteger(digits.substring(2), 8);
        }
        if (digits.startsWith("0x")) {
            return new BigInteger(digits.substring(2), 16);
        }
        return new BigInteger(digits);
    }

    private static Double floating(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case ".inf", "+.inf" -> Double.POSITIVE_INFINITY;
            case "-.inf" -> Double.NEGATIVE_INFINITY;
            case ".nan" -> Double.NaN;
            default -> Double.valueOf(text);
        };
    }
}
