package io.cairn.mysql;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * A statement's text as the client sent it, bytes that are mostly UTF-8. A string literal may hold bytes that
 * are not UTF-8 at all: {@code mariadb-dump} writes a BLOB's bytes raw into its INSERTs. Each byte of a
 * malformed sequence becomes one character U+DC80..U+DCFF (a lone low surrogate, which valid UTF-8 never
 * decodes to), so that {@link #encode} gives the client's bytes back for a binary column, and a text column
 * can tell them apart ({@link #hasRawBytes}) and refuse them as MySQL does. Stateless.
 */
public final class StatementText {
    private static final char RAW_BASE = 0xDC00;

    private StatementText() {
    }

    /** {@code bytes} as text, every byte that is not part of valid UTF-8 kept as its stand-in. */
    public static String decode(byte[] bytes) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        while (true) {
            CoderResult r = decoder.decode(in, out, true);
            if (r.isUnderflow()) {
                decoder.flush(out);
                return out.flip().toString();
            }
            // malformed or unmappable: its bytes pass one by one (out has room: one char per byte at most)
            for (int i = 0; i < r.length(); i++) {
                out.put((char) (RAW_BASE | (in.get() & 0xFF)));
            }
        }
    }

    /** The bytes {@code text} stands for: UTF-8, and each stand-in as the byte it stands for. */
    public static byte[] encode(String text) {
        if (!hasRawBytes(text)) {
            return text.getBytes(StandardCharsets.UTF_8);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(text.length() + 16);
        int from = 0;
        for (int i = 0; i < text.length(); i++) {
            if (isRaw(text, i)) {
                out.writeBytes(text.substring(from, i).getBytes(StandardCharsets.UTF_8));
                out.write(text.charAt(i) & 0xFF);
                from = i + 1;
            } else if (Character.isHighSurrogate(text.charAt(i)) && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++; // a pair: a code point above U+FFFF
            }
        }
        out.writeBytes(text.substring(from).getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    /** Whether {@code text} holds bytes that were not UTF-8. */
    public static boolean hasRawBytes(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (isRaw(text, i)) {
                return true;
            }
        }
        return false;
    }

    /** A stand-in: a low surrogate of the range used, not preceded by a high one (the caller skips pairs). */
    private static boolean isRaw(String text, int i) {
        char c = text.charAt(i);
        return c >= 0xDC80 && c <= 0xDCFF;
    }
}
