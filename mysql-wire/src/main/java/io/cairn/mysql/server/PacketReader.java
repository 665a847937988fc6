package io.cairn.mysql.server;

import io.cairn.mysql.StatementText;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads protocol fields from one packet payload. Every length taken from the payload is checked against
 * the bytes that remain before anything is allocated; a violation is a {@link MalformedPacketException}.
 */
public final class PacketReader {
    private final byte[] buf;
    private int pos;

    public PacketReader(byte[] payload) {
        this.buf = payload;
    }

    public PacketReader(byte[] payload, int offset) {
        this.buf = payload;
        this.pos = offset;
    }

    public int remaining() {
        return buf.length - pos;
    }

    public int position() {
        return pos;
    }

    private void need(long n) throws MalformedPacketException {
        if (n < 0 || n > remaining()) {
            throw new MalformedPacketException("packet truncated: need " + n + " bytes at " + pos
                    + ", have " + remaining());
        }
    }

    public int u8() throws MalformedPacketException {
        need(1);
        return buf[pos++] & 0xFF;
    }

    public int u16() throws MalformedPacketException {
        need(2);
        int v = (buf[pos] & 0xFF) | (buf[pos + 1] & 0xFF) << 8;
        pos += 2;
        return v;
    }

    public int u24() throws MalformedPacketException {
        need(3);
        int v = (buf[pos] & 0xFF) | (buf[pos + 1] & 0xFF) << 8 | (buf[pos + 2] & 0xFF) << 16;
        pos += 3;
        return v;
    }

    /** Four bytes as a signed int (callers use it for flags and ids). */
    public int i32() throws MalformedPacketException {
        need(4);
        int v = (buf[pos] & 0xFF) | (buf[pos + 1] & 0xFF) << 8 | (buf[pos + 2] & 0xFF) << 16
                | (buf[pos + 3] & 0xFF) << 24;
        pos += 4;
        return v;
    }

    public long i64() throws MalformedPacketException {
        need(8);
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = v << 8 | (buf[pos + i] & 0xFF);
        }
        pos += 8;
        return v;
    }

    /** A length-encoded integer; values that do not fit a non-negative long are malformed. */
    public long lenenc() throws MalformedPacketException {
        int first = u8();
        if (first < 0xfb) {
            return first;
        }
        return switch (first) {
            case 0xfc -> u16();
            case 0xfd -> u24();
            case 0xfe -> {
                long v = i64();
                if (v < 0) {
                    throw new MalformedPacketException("length-encoded integer overflow");
                }
                yield v;
            }
            default -> throw new MalformedPacketException("bad length-encoded integer prefix " + first);
        };
    }

    public byte[] bytes(long n) throws MalformedPacketException {
        need(n);
        byte[] out = Arrays.copyOfRange(buf, pos, pos + (int) n);
        pos += (int) n;
        return out;
    }

    public void skip(int n) throws MalformedPacketException {
        need(n);
        pos += n;
    }

    public byte[] lenencBytes() throws MalformedPacketException {
        return bytes(lenenc());
    }

    public String lenencString() throws MalformedPacketException {
        return new String(lenencBytes(), StandardCharsets.UTF_8);
    }

    /** Bytes up to a NUL terminator (required), the terminator consumed. */
    public byte[] nulBytes() throws MalformedPacketException {
        for (int i = pos; i < buf.length; i++) {
            if (buf[i] == 0) {
                byte[] out = Arrays.copyOfRange(buf, pos, i);
                pos = i + 1;
                return out;
            }
        }
        throw new MalformedPacketException("missing NUL terminator");
    }

    public String nulString() throws MalformedPacketException {
        return new String(nulBytes(), StandardCharsets.UTF_8);
    }

    /** The rest of the payload. */
    public byte[] rest() {
        byte[] out = Arrays.copyOfRange(buf, pos, buf.length);
        pos = buf.length;
        return out;
    }

    /** The rest of the payload as statement text: bytes that are not UTF-8 kept ({@link StatementText}). */
    public String restString() {
        return StatementText.decode(rest());
    }
}
