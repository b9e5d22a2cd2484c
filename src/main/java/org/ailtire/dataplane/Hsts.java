package org.ailtire.dataplane;

/**
 * HTTP Strict Transport Security (RFC 6797) at the top gateway: its HTTPS answers carry
 * {@code Strict-Transport-Security}, so a browser that saw one uses only HTTPS for that host for {@code maxAge}
 * seconds (and for its subdomains with {@code includeSubDomains}). Never sent on plain HTTP, where browsers ignore it.
 *
 * @param maxAge            seconds the browser remembers it; 0 tells browsers to forget an earlier one
 * @param includeSubDomains whether it covers every subdomain of the host too
 */
public record Hsts(long maxAge, boolean includeSubDomains) {
    /** The largest max-age taken (about 68 years): browsers cap it far lower anyway. */
    public static final long MAX_AGE_LIMIT = Integer.MAX_VALUE;

    public Hsts {
        if (maxAge < 0 || maxAge > MAX_AGE_LIMIT) {
            throw new IllegalArgumentException("max-age: expected whole seconds from 0 to " + MAX_AGE_LIMIT
                    + ", got " + maxAge);
        }
    }

    /** The header's value, e.g. {@code max-age=31536000; includeSubDomains}. */
    public String headerValue() {
        return "max-age=" + maxAge + (includeSubDomains ? "; includeSubDomains" : "");
    }
}
