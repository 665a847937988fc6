package io.cairn.admin;

import java.time.Instant;

/**
 * One line of the admin audit log: who called what, from where, and how it ended. {@link #format()} writes
 * {@code key=value} pairs in a fixed order (logfmt); a value with a space, quote, '=' or control character
 * is quoted, with {@code \"}, {@code \\} and {@code \n}-style escapes, and every value is cut to
 * {@value #MAX_VALUE} characters, so one call is always one line whatever a client sends.
 *
 * @param time    when the call arrived
 * @param user    the authenticated user; for a refused login the user name it claimed; {@code -} if none
 * @param address the client's IP address
 * @param method  the HTTP method
 * @param path    the request path
 * @param query   the query string, or null
 * @param body    a short text body (a CN group), or null
 * @param status  the HTTP status answered
 * @param millis  how long the call took
 */
public record AuditEntry(Instant time, String user, String address, String method, String path, String query,
        String body, int status, long millis) {
    static final int MAX_VALUE = 256;

    public String format() {
        StringBuilder b = new StringBuilder(160).append(time);
        field(b, "user", user == null || user.isEmpty() ? "-" : user);
        field(b, "addr", address);
        field(b, "method", method);
        field(b, "path", path);
        if (query != null && !query.isEmpty()) {
            field(b, "query", query);
        }
        if (body != null) {
            field(b, "body", body);
        }
        field(b, "status", Integer.toString(status));
        field(b, "ms", Long.toString(millis));
        return b.toString();
    }

    private static void field(StringBuilder b, String key, String value) {
        b.append(' ').append(key).append('=');
        String v = value == null ? "-" : value.length() > MAX_VALUE ? value.substring(0, MAX_VALUE) : value;
        boolean quote = v.isEmpty() || v.chars().anyMatch(c -> c <= ' ' || c == '"' || c == '=' || c == '\\' || c == 0x7f);
        if (!quote) {
            b.append(v);
            return;
        }
        b.append('"');
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < ' ' || c == 0x7f) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }
}
