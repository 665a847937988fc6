package io.cairn.sql.auth;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Locale;

/**
 * The host part of accounts ({@code 'bob'@'10.0.%'}): how a client's address matches it and how
 * specific it is. Names are never resolved (MySQL's {@code skip_name_resolve}): a pattern matches the
 * client's IP address as text, with {@code %} (any characters) and {@code _} (one character) as
 * wildcards and {@code \} escaping them; {@code localhost} matches loopback clients (127.0.0.0/8 and
 * ::1), for which the host name is also {@code localhost}. Stateless.
 */
public final class Hosts {
    /** The host name of loopback clients. */
    public static final String LOCALHOST = "localhost";

    private Hosts() {
    }

    /**
     * The client's host as MySQL names it in messages and USER(): {@code localhost} for loopback
     * clients, else the IP address; "" when unknown (not an IP socket).
     */
    public static String clientHost(SocketAddress remote) {
        if (remote instanceof InetSocketAddress inet && inet.getAddress() != null) {
            InetAddress a = inet.getAddress();
            return a.isLoopbackAddress() ? LOCALHOST : text(a);
        }
        return "";
    }

    /** An address as matched against patterns: IPv4 dotted, IPv6 in its compressed form. */
    static String text(InetAddress a) {
        String s = a.getHostAddress();
        if (a instanceof Inet6Address) {
            int zone = s.indexOf('%');
            if (zone >= 0) {
                s = s.substring(0, zone);
            }
            s = s.replaceFirst("(^|:)(0+(:|$)){2,8}", "::").replaceAll("(^|:)0+([0-9a-f])", "$1$2");
        }
        return s.toLowerCase(Locale.ROOT);
    }

    /** Whether a client at {@code remote} is one {@code pattern} admits. */
    public static boolean matches(String pattern, SocketAddress remote) {
        String p = pattern.toLowerCase(Locale.ROOT);
        if (p.equals("%")) {
            return true;
        }
        if (!(remote instanceof InetSocketAddress inet) || inet.getAddress() == null) {
            return false; // not an IP client: only '%' admits it
        }
        InetAddress a = inet.getAddress();
        if (a.isLoopbackAddress() && like(p, LOCALHOST)) {
            return true;
        }
        return like(p, text(a)) || (a.getHostAddress().indexOf('%') < 0 && like(p, a.getHostAddress().toLowerCase(Locale.ROOT)));
    }

    /**
     * How specific a pattern is, as MySQL sorts accounts: a host without wildcards first, then
     * patterns by the position of their first wildcard (later is more specific), {@code %} last.
     */
    public static int specificity(String pattern) {
        for (int i = 0; i < pattern.length(); i++) {
            char ch = pattern.charAt(i);
            if (ch == '\\' && i + 1 < pattern.length()) {
                i++;
            } else if (ch == '%' || ch == '_') {
                return Math.min(i + 1, 127);
            }
        }
        return pattern.isEmpty() ? 0 : 128;
    }

    /** Whether a host pattern is acceptable in an account name. */
    public static boolean valid(String pattern) {
        return pattern.length() <= 255;
    }

    /** SQL LIKE with {@code %}, {@code _} and backslash escapes; both sides already lower-cased. */
    static boolean like(String pattern, String s) {
        return like(pattern, 0, s, 0);
    }

    private static boolean like(String p, int pi, String s, int si) {
        while (pi < p.length()) {
            char c = p.charAt(pi);
            if (c == '%') {
                for (int k = si; k <= s.length(); k++) {
                    if (like(p, pi + 1, s, k)) {
                        return true;
                    }
                }
                return false;
            }
            if (si >= s.length()) {
                return false;
            }
            if (c == '\\' && pi + 1 < p.length()) {
                pi++;
                c = p.charAt(pi);
                if (c != s.charAt(si)) {
                    return false;
                }
            } else if (c != '_' && c != s.charAt(si)) {
                return false;
            }
            pi++;
            si++;
        }
        return si == s.length();
    }
}
