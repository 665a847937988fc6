package io.cairn.mysql.server;

/** A client packet that does not follow the protocol; the connection is closed after an ERR 1835. */
final class MalformedPacketException extends Exception {
    private static final long serialVersionUID = 1L;

    MalformedPacketException(String message) {
        super(message);
    }
}
