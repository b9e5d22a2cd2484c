package org.ailtire.cli;

/**
 * Text that came from a controller or a service, made safe to print: C0 and C1 control characters (and DEL) are
 * removed, except tab and newline, so a log line or a status message cannot move the cursor, retitle the window or
 * hide what follows with terminal escapes. The CLI's own colours are added after this. {@code --json} output is
 * not passed through it: JSON escapes control characters itself.
 */
final class TerminalText {
    private TerminalText() {
    }

    static String clean(String text) {
        if (text == null) {
            return null;
        }
        StringBuilder kept = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (isControl(c)) {
                if (kept == null) {
                    kept = new StringBuilder(text.length()).append(text, 0, i);
                }
            } else if (kept != null) {
                kept.append(c);
            }
        }
        return kept == null ? text : kept.toString();
    }

    /** Any object's text, cleaned (e.g. an exception's message). */
    static String clean(Object value) {
        return clean(String.valueOf(value));
    }

    private static boolean isControl(char c) {
        return (c < 0x20 && c != '\t' && c != '\n') || (c >= 0x7f && c <= 0x9f);
    }
}
