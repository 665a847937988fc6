package io.cairn.mysql;

import java.util.concurrent.atomic.LongAdder;

/**
 * Bytes a MySQL server received from and sent to its clients, as MySQL's {@code Bytes_received} and
 * {@code Bytes_sent} count them: the protocol's packets with their 4-byte headers, before TLS encrypts them
 * (so TLS records and handshakes are not counted, as MySQL counts above its TLS layer). A server keeps one
 * for itself ({@link #forServer()}), each connection one of its own ({@link #forConnection()}) that adds to the
 * server's too.
 *
 * <p>Threading: the wire layer counts on the connection's Netty event loop, the only writer of a connection's
 * counts (volatile fields, no lock); a server's counts are added to by all its event loops (LongAdder). Any
 * thread may read; a read sees every count of the bytes handed to or taken from the socket before it.
 */
public final class ClientTraffic {
    private final ClientTraffic server;
    // a server's: many event loops add
    private final LongAdder serverReceived;
    private final LongAdder serverSent;
    // a connection's: one event loop adds
    private volatile long received;
    private volatile long sent;

    private ClientTraffic(ClientTraffic server) {
        this.server = server;
        this.serverReceived = server == null ? new LongAdder() : null;
        this.serverSent = server == null ? new LongAdder() : null;
    }

    /** A server's counts, since it was made. */
    public static ClientTraffic forServer() {
        return new ClientTraffic(null);
    }

    /** A new connection's counts, from zero; what it counts adds to this server's. */
    public ClientTraffic forConnection() {
        if (server != null) {
            throw new IllegalStateException("a connection's counts have no connections");
        }
        return new ClientTraffic(this);
    }

    /** The server's counts: itself for a server's, else the server this connection belongs to. */
    public ClientTraffic server() {
        return server == null ? this : server;
    }

    /** {@code n} bytes came from the client. Called only by the wire layer, on the connection's event loop. */
    @SuppressWarnings("NonAtomicOperationOnVolatileField") // one writer: the connection's event loop
    public void received(long n) {
        if (server == null) {
            serverReceived.add(n);
            return;
        }
        received += n;
        server.serverReceived.add(n);
    }

    /** {@code n} bytes went to the client. Called only by the wire layer, on the connection's event loop. */
    @SuppressWarnings("NonAtomicOperationOnVolatileField") // one writer: the connection's event loop
    public void sent(long n) {
        if (server == null) {
            serverSent.add(n);
            return;
        }
        sent += n;
        server.serverSent.add(n);
    }

    /** Bytes received so far ({@code Bytes_received}). */
    public long received() {
        return server == null ? serverReceived.sum() : received;
    }

    /** Bytes sent so far ({@code Bytes_sent}). */
    public long sent() {
        return server == null ? serverSent.sum() : sent;
    }
}
