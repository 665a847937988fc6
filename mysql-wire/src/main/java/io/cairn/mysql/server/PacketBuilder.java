package io.cairn.mysql.server;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Builds one packet payload (without the 4-byte header) with the protocol's integer and string forms. */
public final class PacketBuilder {
    private byte[] buf;
    private int len;

    public PacketBuilder() {
        this(64);
    }

    public PacketBuilder(int capacity) {
        buf = new byte[Math.max(16, capacity)];
    }

    private void ensure(int more) {
        if (len + more > buf.length) {
            long want = Math.max((long) buf.length * 2, (long) len + more);
            if (want > Integer.MAX_VALUE - 16) {
                throw new IllegalStateException("packet too large");
            }
            buf = Arrays.copyOf(buf, (int) want);
        }
    }

    public PacketBuilder u8(int v) {
        ensure(1);
        buf[len++] = (byte) v;
        return this;
    }

    public PacketBuilder u16(int v) {
        ensure(2);
        buf[len++] = (byte) v;
        buf[len++] = (byte) (v >>> 8);
        return this;
    }

    public PacketBuilder u24(int v) {
        ensure(3);
        buf[len++] = (byte) v;
        buf[len++] = (byte) (v >>> 8);
        buf[len++] = (byte) (v >>> 16);
        return this;
    }

    public PacketBuilder i32(int v) {
        ensure(4);
        for (int i = 0; i < 4; i++) {
            buf[len++] = (byte) (v >>> (8 * i));
        }
        return this;
    }

    public PacketBuilder i64(long v) {
        ensure(8);
        for (int i = 0; i < 8; i++) {
            buf[len++] = (byte) (v >>> (8 * i));
        }
        return this;
    }

    /** A length-encoded integer; {@code v} is treated as unsigned. */
    public PacketBuilder lenenc(long v) {
        if (v >= 0 && v < 251) {
            return u8((int) v);
        }
        if (v >= 0 && v < (1 << 16)) {
            return u8(0xfc).u16((int) v);
        }
        if (v >= 0 && v < (1 << 24)) {
            return u8(0xfd).u24((int) v);
        }
        return u8(0xfe).i64(v);
    }

    public PacketBuilder bytes(byte[] b) {
        return bytes(b, 0, b.length);
    }

    public PacketBuilder bytes(byte[] b, int off, int n) {
        ensure(n);
        System.arraycopy(b, off, buf, len, n);
        len += n;
        return this;
    }

    public PacketBuilder zeros(int n) {
        ensure(n);
        len += n; // the array is zero-filled where not yet written
        Arrays.fill(buf, len - n, len, (byte) 0);
        return this;
    }

    public PacketBuilder lenencBytes(byte[] b) {
        return lenenc(b.length).bytes(b);
    }

    public PacketBuilder lenencString(String s) {
        return lenencBytes(s.getBytes(StandardCharsets.UTF_8));
    }

    public PacketBuilder nulString(String s) {
        return bytes(s.getBytes(StandardCharsets.UTF_8)).u8(0);
    }

    public PacketBuilder string(String s) {
        return bytes(s.getBytes(StandardCharsets.UTF_8));
    }

    public int length() {
        return len;
    }

    public byte[] array() {
        return buf;
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(buf, len);
    }
}
