package io.cairn.mysql.server;

/** A client packet that does not follow the protocol; the connection is closed after an ERR 1835. */
public final class MalformedPacketException extends Exception {
    private static final long serialVersionUID = 1L;

    public MalformedPacketException(String message) {
        super(message);
    }
}
