package io.cairn.node;

import java.util.Locale;

/**
 * A size setting as operators write it: bytes, or a number with {@code k}, {@code m} or {@code g}
 * (binary units, as the JVM's {@code -Xmx}). Stateless.
 */
public final class ByteSize {
    private ByteSize() {
    }

    /**
     * @throws ConfigException the value is not a size between {@code min} and {@code max}, naming {@code property}
     */
    public static long parse(String property, String value, long min, long max) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        int shift = switch (v.isEmpty() ? ' ' : v.charAt(v.length() - 1)) {
            case 'k' -> 10;
            case 'm' -> 20;
            case 'g' -> 30;
            default -> 0;
        };
        String digits = shift == 0 ? v : v.substring(0, v.length() - 1);
        long bytes;
        try {
            long n = Long.parseLong(digits);
            if (n < 0 || n > Long.MAX_VALUE >> shift) {
                throw new NumberFormatException();
            }
            bytes = n << shift;
        } catch (NumberFormatException e) {
            throw new ConfigException(property, "'" + value + "' is not a size (bytes, or a number with k, m or g)");
        }
        if (bytes < min || bytes > max) {
            throw new ConfigException(property, "'" + value + "' must be between " + min + " and " + max + " bytes");
        }
        return bytes;
    }
}
