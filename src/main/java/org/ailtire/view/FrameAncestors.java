package org.ailtire.view;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The console's CSP {@code frame-ancestors} source list: who may frame the console. {@code 'self'} by default; a
 * deploy sets another ({@code --console-frame-ancestors}) and every controller of the tree gets it.
 *
 * <p>Only source expressions that {@code frame-ancestors} allows are accepted: {@code 'self'}, {@code 'none'}
 * (alone), {@code *}, a scheme ({@code https:}) or a host source ({@code https://*.example.com:8443/path}). Nothing
 * else can get into the header: no {@code ;} or {@code ,} (another directive or policy), no line break.
 */
public final class FrameAncestors {
    public static final String VARIABLE = "AILTIRE_CONSOLE_FRAME_ANCESTORS";
    public static final String DEFAULT = "'self'";
    private static final int MAX_LENGTH = 1024;
    private static final Pattern SCHEME_SOURCE = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*:");
    private static final Pattern HOST_SOURCE = Pattern.compile(
            "([A-Za-z][A-Za-z0-9+.-]*://)?(\\*|(\\*\\.)?[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)*)(:([0-9]{1,5}|\\*))?"
                    + "(/[A-Za-z0-9._~%/-]*)?");

    private FrameAncestors() {
    }

    /**
     * @return the source list with single spaces between its expressions
     * @throws IllegalArgumentException naming the first expression that is not one {@code frame-ancestors} allows
     */
    public static String parse(String sourceList) {
        if (sourceList == null || sourceList.isBlank()) {
            throw new IllegalArgumentException("expected a CSP source list such as 'self' https://portal.example.com, "
                    + "got nothing");
        }
        if (sourceList.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("a CSP source list of at most " + MAX_LENGTH + " characters, got "
                    + sourceList.length());
        }
        List<String> sources = List.of(sourceList.strip().split("[ \t]+"));
        for (String source : sources) {
            String lower = source.toLowerCase(Locale.ROOT);
            boolean keyword = lower.equals("'self'") || lower.equals("'none'");
            if (!keyword && !SCHEME_SOURCE.matcher(source).matches() && !HOST_SOURCE.matcher(source).matches()) {
                throw new IllegalArgumentException("expected CSP source expressions ('self', 'none', *, https:, "
                        + "https://host[:port][/path]) separated by spaces; \"" + printable(source)
                        + "\" is not one (no ; , quotes or line breaks)");
            }
            if (lower.equals("'none'") && sources.size() > 1) {
                throw new IllegalArgumentException("'none' must be the only source expression, got " + sourceList.strip());
            }
        }
        return String.join(" ", sources);
    }

    private static String printable(String text) {
        return text.codePoints().mapToObj(c -> c < 0x20 || c == 0x7f ? String.format("\\u%04x", c)
                : new String(Character.toChars(c))).reduce("", String::concat);
    }
}
