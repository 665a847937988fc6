package io.cairn.proxy;

import io.cairn.mysql.MysqlError;
import io.cairn.mysql.MysqlException;
import io.cairn.mysql.server.AuthPlugins;
import io.cairn.mysql.server.Capabilities;
import io.cairn.mysql.server.Commands;
import io.cairn.mysql.server.DecoderEvent;
import io.cairn.mysql.server.Handshake;
import io.cairn.mysql.server.LingeringClose;
import io.cairn.mysql.server.MalformedPacketException;
import io.cairn.mysql.server.Packet;
import io.cairn.mysql.server.PacketDecoder;
import io.cairn.mysql.server.ProxyLogin;
import io.cairn.mysql.server.Responses;
import io.cairn.mysql.server.ServerStatus;
import io.cairn.mysql.server.TlsUpgrader;
import io.cairn.server.ProxySessions;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One client connection to the proxy. It terminates the handshake (its own greeting and salt), logs
 * in to a compute node of the client's group on the client's behalf ({@link Backend}, VERIFY: the
 * CN checks the password), and then relays commands one at a time, following each answer
 * ({@link ResponseTracker}) so it always knows where the session stands ({@link SessionState}).
 *
 * <p>Moving: at a transaction boundary the session can go to another CN of its group (ASSERT
 * login, SET statements replayed, prepared statements prepared again under the client's ids). That
 * happens when its CN is drained or leaves the group (at once if idle, else after the transaction),
 * and when its CN fails: an idle session moves on its next command without noticing; a session
 * inside a transaction gets one ERR 1213 saying the transaction was rolled back; a command in flight
 * gets ERR 2013 unless it was a read outside a transaction, which runs again on the new CN.
 *
 * <p>A client's own faults end only its connection and never count against a compute node: a client
 * not logged in within {@link ProxySettings#clientLoginTimeout()} (it stalled, or never answered an auth
 * switch), one that stops inside a packet ({@link ProxySettings#netReadTimeout()}, see {@link PacketDecoder})
 * or reads nothing for {@link ProxySettings#netWriteTimeout()} is disconnected; a command the compute node
 * answers with an error that ends a MySQL connection (1835 malformed, 1156 out of order, 1153 too large)
 * is relayed and the client is disconnected, as a direct client of the CN would be.
 *
 * <p>Threading: everything runs on the client channel's event loop, which the CN connections share;
 * other threads reach a session only through {@link #execute}.
 */
final class ProxySession extends ChannelInboundHandlerAdapter implements Backend.Owner {
    private static final Logger LOG = Logger.getLogger(ProxySession.class.getName());
    /**
     * Commands a client may send ahead of the answers before the proxy stops reading from it. The
     * socket is read all the time otherwise: turning reading on and off around each command (epoll_ctl
     * twice) was a syscall per query.
     */
    private static final int MAX_QUEUED_COMMANDS = 16;
    private static final int RELAY_BUFFER_START = 1024;
    private static final int RELAY_BUFFER_MAX = 64 * 1024;
    /** How long a command waits on a CN that left the member list before its connection is dropped. */
    private static final long STUCK_NANOS = 2_000_000_000L;
    /** How often a login that found no usable CN looks again, until the login timeout. */
    private static final long NO_CN_RETRY_MILLIS = 100;
    /** Errors after which a MySQL server closes the connection. */
    private static final Set<Integer> CONNECTION_ENDING_ERRORS = Set.of(
            MysqlError.MALFORMED_PACKET.code(), MysqlError.NET_PACKETS_OUT_OF_ORDER.code(),
            MysqlError.NET_PACKET_TOO_LARGE.code());

    private enum Phase { GREETED, LOGGING_IN, IDLE, BUSY, MOVING, CLOSED }

    private final ProxyServer server;
    private final long id;
    private final byte[] salt = AuthPlugins.nonce();
    private Channel client;
    private boolean registered;
    /** Disconnects the client unless it is logged in by then. */
    private ScheduledFuture<?> loginDeadline;
    /** Disconnects the client unless it reads again by then (set while the client is not writable). */
    private ScheduledFuture<?> writeDeadline;
    private Phase phase = Phase.GREETED;
    private Handshake.Response hello;
    private volatile GroupRules.Routing routing;
    /** The client switched to TLS (SSLRequest). */
    private boolean tls;
    /** This proxy's client connections of the session's user when it logged in, itself included (0: not yet counted). */
    private int userConnections;
    private int capabilities;
    private volatile SessionState state;
    private final Deque<Packet> pending = new ArrayDeque<>();

    private Backend backend;
    private Backend candidate;
    private final Set<String> tried = new HashSet<>();
    /** Until when a login that finds no usable CN waits for one (the login timeout). */
    private long loginDeadlineNanos;
    /** When the current move started, and its steps with their times (logged when it was slow). */
    private long moveStartNanos;
    private final StringBuilder moveSteps = new StringBuilder();
    /** A move was asked for (drain, group change); done at the next transaction boundary. */
    private volatile boolean moveWanted;
    /** The wanted move only evens the load: dropped if, when its turn comes, it would not any more. */
    private boolean rebalancing;
    /** The CN failed while the session was inside a transaction: the next command gets the error. */
    private boolean transactionLost;
    /** The proxy is stopping: the session ends at its next transaction boundary. */
    private boolean shuttingDown;
    private Restore restore;

    // the command in flight
    private Packet command;
    private SessionStatement statement;
    private SessionState.Prepared executing;
    private ResponseTracker tracker;
    private int relayed;
    /** When the command in flight went to the CN. */
    private long sentNanos;
    /**
     * The compute node's packets relayed since the last write, copied into one buffer: one write per
     * answer instead of one per packet (and the copy to a direct buffer the socket needed anyway).
     */
    private ByteBuf toClient;
    private int nextClientSeq;

    /** Read by other threads (KILL routing, statistics). */
    private volatile Backend published;

    ProxySession(ProxyServer server, long id) {
        this.server = server;
        this.id = id;
    }

    long id() {
        return id;
    }

    /** Runs {@code task} on this session's event loop. */
    void execute(Runnable task) {
        Channel c = client;
        if (c != null) {
            c.eventLoop().execute(task);
        }
    }

    /** The compute node the session is on now, or null (any thread). */
    Backend backend() {
        return published;
    }

    String user() {
        GroupRules.Routing r = routing;
        return r == null ? null : r.user();
    }

    /** The client's IP address ("" when unknown): compute nodes match accounts' host parts against it (any thread). */
    String clientAddress() {
        Channel c = client;
        return c != null && c.remoteAddress() instanceof java.net.InetSocketAddress a && a.getAddress() != null
                ? a.getAddress().getHostAddress() : "";
    }

    // ---- client side ----

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        client = ctx.channel();
        registered = server.register(this);
        if (!registered) {
            sendError(0, MysqlException.of(MysqlError.CON_COUNT));
            closeClient();
            return;
        }
        write(0, Handshake.greeting(server.settings().serverVersion(), id, salt, server.clientCapabilities(),
                ServerStatus.AUTOCOMMIT, "caching_sha2_password").toByteArray());
        client.flush();
        loginDeadline = client.eventLoop().schedule(this::loginTimedOut,
                server.settings().clientLoginTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    private void loginTimedOut() {
        if (phase == Phase.GREETED || phase == Phase.LOGGING_IN) {
            LOG.log(Level.FINE, "proxy connection {0}: not logged in within {1} ms; closing",
                    new Object[] {id, server.settings().clientLoginTimeout().toMillis()});
            client.close(); // what it has not read yet goes too
            close();
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (phase == Phase.CLOSED) {
            return;
        }
        if (msg instanceof DecoderEvent event) {
            decoderEvent(event);
            return;
        }
        Packet packet = (Packet) msg;
        switch (phase) {
            case GREETED -> handshakeResponse(packet);
            case LOGGING_IN -> {
                if (candidate == null || !candidate.exchanged()) {
                    protocolError(packet.lastSeq() + 1, "a packet before the login finished");
                    return;
                }
                candidate.sendAuth(packet.firstSeq(), packet.payload());
            }
            default -> {
                pending.add(packet);
                if (pending.size() >= MAX_QUEUED_COMMANDS) {
                    client.config().setAutoRead(false); // a client that pipelines without reading waits
                }
                drive();
            }
        }
    }

    private void decoderEvent(DecoderEvent event) {
        if (event instanceof DecoderEvent.TooLarge tooLarge) {
            sendError(tooLarge.seq() + 1, MysqlException.of(MysqlError.NET_PACKET_TOO_LARGE));
            client.flush();
            // reading goes on to the end of the oversized packet (DiscardDone), then the connection closes
        } else if (event instanceof DecoderEvent.DiscardDone) {
            closeClient();
        } else if (event instanceof DecoderEvent.OutOfOrder ooo) {
            sequenceError(ooo.seq() + 1, "a continuation packet out of order");
        }
    }

    private void handshakeResponse(Packet packet) {
        try {
            if (packet.firstSeq() != (tls ? 2 : 1)) {
                sequenceError(packet.lastSeq() + 1, "handshake response with sequence id " + packet.firstSeq());
                return;
            }
            if (Handshake.isSslRequest(packet.payload())) {
                throw new MalformedPacketException(tls ? "a second SSLRequest" : "SSLRequest, but the proxy does not offer TLS");
            }
            hello = Handshake.parseResponse(packet.payload());
        } catch (MalformedPacketException e) {
            LOG.log(Level.FINE, "proxy connection {0}: {1}", new Object[] {id, e.getMessage()});
            sendError(packet.lastSeq() + 1, MysqlException.of(MysqlError.MALFORMED_PACKET));
            closeClient();
            return;
        }
        capabilities = hello.capabilities() & ProxyServer.CAPABILITIES; // TLS ends here: never asked of a CN
        routing = server.settings().groupRules().route(hello.user(), hello.attributes());
        userConnections = server.userConnected(routing.user());
        state = new SessionState(hello.database());
        nextClientSeq = packet.lastSeq() + 1;
        phase = Phase.LOGGING_IN;
        loginDeadlineNanos = System.nanoTime() + server.settings().loginTimeout().toNanos();
        connectNext();
    }

    /** Starts or continues a command loop: runs queued commands while the session is idle. */
    private void drive() {
        while (phase == Phase.IDLE) {
            if (shuttingDown && !state.inTransaction()) {
                endForShutdown();
                return;
            }
            if (moveWanted && backend != null && !state.inTransaction() && state.unmovableReason() == null) {
                if (rebalancing && !evensLoad()) {
                    moveWanted = false;
                    rebalancing = false;
                    continue;
                }
                startMove();
                return;
            }
            Packet next = pending.poll();
            if (next == null) {
                return;
            }
            if (pending.size() < MAX_QUEUED_COMMANDS && !client.config().isAutoRead()) {
                client.config().setAutoRead(true);
            }
            startCommand(next);
        }
    }

    private void startCommand(Packet packet) {
        byte[] payload = packet.payload();
        if (packet.firstSeq() != 0) {
            sequenceError(packet.lastSeq() + 1, "command with sequence id " + packet.firstSeq());
            return;
        }
        if (payload.length == 0) {
            protocolError(packet.lastSeq() + 1, "empty command packet");
            return;
        }
        int cmd = payload[0] & 0xff;
        nextClientSeq = packet.lastSeq() + 1;
        if (cmd == Commands.QUIT) {
            close();
            return;
        }
        boolean answered = cmd != Commands.STMT_CLOSE && cmd != Commands.STMT_SEND_LONG_DATA;
        if (transactionLost && answered) {
            transactionLost = false;
            sendError(nextClientSeq, MysqlException.of(MysqlError.CN_LOST_TRANSACTION));
            client.flush();
            return;
        }
        statement = cmd == Commands.QUERY ? SessionStatement.classify(text(payload)) : null;
        if (cmd == Commands.PROCESS_KILL || statement != null && statement.kind() == SessionStatement.Kind.KILL) {
            kill(payload, cmd);
            return;
        }
        if (backend == null) {
            pending.addFirst(packet);
            startMove();
            return;
        }
        executing = null;
        if (cmd >= Commands.STMT_EXECUTE && cmd <= Commands.STMT_RESET || cmd == Commands.STMT_FETCH) {
            // what the compute node would refuse as malformed (and close): refused here, with the same error
            int header = cmd == Commands.STMT_EXECUTE ? 10 : cmd == Commands.STMT_SEND_LONG_DATA ? 7
                    : cmd == Commands.STMT_FETCH ? 9 : 5;
            if (payload.length < header) {
                protocolError(nextClientSeq, "statement command of " + payload.length + " bytes");
                return;
            }
            executing = state.statement(intAt(payload, 1));
            if (executing == null) {
                if (answered) {
                    sendError(nextClientSeq, MysqlException.of(MysqlError.UNKNOWN_STMT_HANDLER,
                            Integer.toUnsignedString(intAt(payload, 1)), "mysqld_stmt_execute"));
                    client.flush();
                }
                return;
            }
            payload = bindStatement(cmd, payload);
        }
        command = packet;
        backend.send(0, payload);
        if (!answered) {
            if (cmd == Commands.STMT_CLOSE) {
                state.closed(executing.clientId);
            }
            command = null;
            return;
        }
        tracker = new ResponseTracker(shape(cmd), deprecateEof(), state.status());
        relayed = 0;
        sentNanos = System.nanoTime();
        phase = Phase.BUSY;
    }

    /** The payload with the compute node's statement id, and the parameter types it has not seen yet. */
    private byte[] bindStatement(int cmd, byte[] payload) {
        SessionState.Prepared p = executing;
        byte[] out = payload;
        if (cmd == Commands.STMT_EXECUTE) {
            int bitmap = (p.parameters + 7) / 8;
            int flagAt = 10 + bitmap;
            if (p.parameters > 0 && payload.length > flagAt) {
                if (payload[flagAt] == 1 && payload.length >= flagAt + 1 + 2 * p.parameters) {
                    p.types = java.util.Arrays.copyOfRange(payload, flagAt + 1, flagAt + 1 + 2 * p.parameters);
                    p.typesSent = true;
                } else if (payload[flagAt] == 0 && !p.typesSent && p.types != null) {
                    // the statement was prepared again on this CN, which has not seen the types yet
                    out = new byte[payload.length + p.types.length];
                    System.arraycopy(payload, 0, out, 0, flagAt);
                    out[flagAt] = 1;
                    System.arraycopy(p.types, 0, out, flagAt + 1, p.types.length);
                    System.arraycopy(payload, flagAt + 1, out, flagAt + 1 + p.types.length, payload.length - flagAt - 1);
                    p.typesSent = true;
                }
            }
            p.longData = false;
        } else if (cmd == Commands.STMT_SEND_LONG_DATA) {
            p.longData = true;
        } else if (cmd == Commands.STMT_RESET) {
            p.longData = false;
        }
        if (out == payload) {
            out = payload.clone();
        }
        setIntAt(out, 1, p.backendId);
        return out;
    }

    private static ResponseTracker.Shape shape(int cmd) {
        return switch (cmd) {
            case Commands.QUERY, Commands.STMT_EXECUTE -> ResponseTracker.Shape.RESULT;
            case Commands.STMT_PREPARE -> ResponseTracker.Shape.PREPARE;
            case Commands.FIELD_LIST -> ResponseTracker.Shape.FIELD_LIST;
            case Commands.STMT_FETCH -> ResponseTracker.Shape.FETCH;
            default -> ResponseTracker.Shape.SINGLE;
        };
    }

    private boolean deprecateEof() {
        return (capabilities & Capabilities.DEPRECATE_EOF) != 0;
    }

    /** The command ran to its end: what it changed in the session is recorded. */
    private void complete() {
        int cmd = command.payload()[0] & 0xff;
        if (tracker.failed() && CONNECTION_ENDING_ERRORS.contains(tracker.errorCode())) {
            // the compute node closes after this error (relayed already): so does the client's connection,
            // and the CN did not fail
            LOG.log(Level.FINE, "proxy connection {0}: {1} ended the connection with error {2}",
                    new Object[] {id, backend, tracker.errorCode()});
            closeClient();
            return;
        }
        state.status(tracker.status());
        trackCursor(cmd);
        if (!tracker.failed()) {
            if (cmd == Commands.INIT_DB) {
                state.database(text(command.payload()));
            } else if (cmd == Commands.RESET_CONNECTION) {
                state.reset();
            } else if (statement != null && statement.kind() == SessionStatement.Kind.USE) {
                state.database(statement.name());
            } else if (statement != null && statement.kind() == SessionStatement.Kind.SET) {
                state.recordSet(statement, text(command.payload()));
            }
        }
        command = null;
        tracker = null;
        phase = Phase.IDLE;
        drive();
    }

    /**
     * Follows the compute node's open cursors (a session holding one does not move: see
     * {@link SessionState#unmovableReason()}); an execute closes the statement's previous cursor.
     */
    private void trackCursor(int cmd) {
        if (executing == null) {
            return;
        }
        int status = tracker.status();
        switch (cmd) {
            case Commands.STMT_EXECUTE -> executing.cursorOpen = !tracker.failed() && (status & ServerStatus.CURSOR_EXISTS) != 0;
            case Commands.STMT_FETCH -> executing.cursorOpen = !tracker.failed() && (status & ServerStatus.LAST_ROW_SENT) == 0;
            case Commands.STMT_RESET -> executing.cursorOpen = false;
            default -> {
            }
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event == TlsUpgrader.TLS_STARTED) {
            tls = true; // the handshake response comes again, encrypted, as packet 2
        }
        ctx.fireUserEventTriggered(event);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        boolean writable = client.isWritable();
        Backend b = backend;
        if (b != null && b.channel() != null) {
            b.channel().config().setAutoRead(writable);
        }
        if (!writable && writeDeadline == null) {
            writeDeadline = client.eventLoop().schedule(this::writeTimedOut,
                    server.settings().netWriteTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } else if (writable && writeDeadline != null) {
            writeDeadline.cancel(false);
            writeDeadline = null;
        }
    }

    /** The client has read nothing for the write timeout while answers wait for it. */
    private void writeTimedOut() {
        writeDeadline = null;
        if (!client.isWritable() && phase != Phase.CLOSED) {
            LOG.log(Level.FINE, "proxy connection {0}: the client read nothing for {1} ms; closing",
                    new Object[] {id, server.settings().netWriteTimeout().toMillis()});
            client.close(); // not closeClient(): its last writes would wait for the client too
            close();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (loginDeadline != null) {
            loginDeadline.cancel(false);
        }
        if (writeDeadline != null) {
            writeDeadline.cancel(false);
        }
        close();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // a reset by the client, or bytes that are no TLS record, are the client's; anything else is a bug
        // worth a stack trace
        boolean clients = cause instanceof java.io.IOException || cause instanceof io.netty.handler.codec.DecoderException;
        LOG.log(clients ? Level.FINE : Level.WARNING, "proxy connection " + id + " failed", cause);
        close();
    }

    // ---- compute node side ----

    /** Logs in to the next untried CN of the group (first login, or a move). */
    private void connectNext() {
        ComputeNodes.Cn cn = server.nodes().pick(routing.group(), tried);
        if (cn == null) {
            noComputeNode();
            return;
        }
        tried.add(cn.endpoint());
        boolean first = phase == Phase.LOGGING_IN;
        moveStep("dial " + cn.name());
        Backend.Login login = new Backend.Login(routing.user(), state.database(), hello.charset(),
                capabilities, hello.attributes(), first ? ProxyLogin.Mode.VERIFY : ProxyLogin.Mode.ASSERT,
                hello.plugin() == null ? "mysql_native_password" : hello.plugin(), first ? salt : new byte[0],
                first ? hello.authResponse() : new byte[0],
                new ProxyLogin.Client(clientAddress(), tls, server.connections(), userConnections));
        candidate = new Backend(cn, login, server.settings().secret(), server.settings().clusterTls(),
                server.settings().loginTimeout(), this);
        server.dial(client.eventLoop(), candidate);
    }

    private void noComputeNode() {
        if (phase == Phase.LOGGING_IN && System.nanoTime() < loginDeadlineNanos
                && server.nodes().mayServeSoon(routing.group())) {
            // Membership can show no usable CN for a moment: a Hazelcast member that rejoins after a
            // false suspicion rebuilds its member list (chaos long run 3: 1105s for 1.4 s on a proxy
            // whose CNs were all alive). A login waits for one, up to the login timeout.
            client.eventLoop().schedule(() -> {
                if (phase == Phase.LOGGING_IN && candidate == null) {
                    connectNext();
                }
            }, NO_CN_RETRY_MILLIS, TimeUnit.MILLISECONDS);
            return;
        }
        MysqlException error = MysqlException.of(MysqlError.NO_COMPUTE_NODE, abbreviate(routing.group()));
        if (phase == Phase.LOGGING_IN) {
            sendError(nextClientSeq, error);
            closeClient();
        } else {
            moveFailed(error);
        }
    }

    @Override
    public void loggedIn(Backend b, ByteBuf ok) {
        if (b != candidate || phase == Phase.CLOSED) {
            ok.release();
            b.quit();
            return;
        }
        server.nodes().breaker().succeeded(b.endpoint());
        candidate = null;
        tried.clear();
        if (phase == Phase.LOGGING_IN) {
            loginDeadline.cancel(false);
            // before the OK goes out: the client's next packet may be as big as max_allowed_packet
            PacketDecoder decoder = client.pipeline().get(PacketDecoder.class);
            if (decoder != null) {
                decoder.authenticated();
            }
            client.writeAndFlush(ok);
            adopt(b);
            LOG.log(Level.FINE, "proxy connection {0} ({1}, group {2}) on {3}",
                    new Object[] {id, routing.user(), routing.group(), b});
            phase = Phase.IDLE;
            drive();
        } else {
            ok.release();
            moveStep("logged in");
            restore = new Restore(b, state, deprecateEof());
            restore.next();
        }
    }

    private void adopt(Backend b) {
        backend = b;
        published = b;
        server.nodes().attach(b.endpoint());
        b.channel().config().setAutoRead(client.isWritable());
    }

    @Override
    public void loginExchange(Backend b, ByteBuf frame) {
        if (b != candidate || phase != Phase.LOGGING_IN) {
            frame.release();
            return;
        }
        nextClientSeq = Frames.seq(frame) + 1;
        client.writeAndFlush(frame);
    }

    @Override
    public void loginRefused(Backend b, ByteBuf error) {
        if (b != candidate) {
            error.release();
            return;
        }
        candidate = null;
        if (phase == Phase.LOGGING_IN) {
            client.writeAndFlush(error); // the CN's own answer: access denied, unknown database …
            closeClient();
            return;
        }
        // a moving session refused (user or database dropped meanwhile): its state cannot be restored
        byte[] payload = Frames.payload(error);
        error.release();
        Packet waiting = pending.peek();
        if (waiting != null) {
            write(waiting.lastSeq() + 1, payload);
        }
        closeClient();
    }

    @Override
    public void loginFailed(Backend b, String why) {
        if (b != candidate) {
            return;
        }
        LOG.log(Level.INFO, "CAIRN0301W: " + b + " failed for proxy connection " + id + ": " + why
                + "; skipping it for a while");
        moveStep("failed: " + why);
        if (!b.exchanged()) {
            // once the client was asked for more authentication, the login waits on the client, not the CN
            // (a client that never answers must not make every login skip this CN)
            server.nodes().breaker().failed(b.endpoint());
        }
        candidate = null;
        if (phase == Phase.LOGGING_IN && b.exchanged()) {
            sendError(nextClientSeq, MysqlException.of(MysqlError.CN_LOST_STATEMENT));
            closeClient();
            return;
        }
        if (phase == Phase.LOGGING_IN || phase == Phase.MOVING) {
            connectNext();
        }
    }

    @Override
    public void frame(Backend b, ByteBuf frame) {
        if (restore != null && b == restore.backend) {
            restore.frame(frame);
            return;
        }
        if (b == backend && phase != Phase.BUSY && phase != Phase.CLOSED && Frames.header(frame) == 0xff) {
            // an error to a command that gets no answer (a malformed COM_STMT_SEND_LONG_DATA, ...): the CN
            // closes after it; the client hears it (with the CN's sequence id) and is closed as well
            LOG.log(Level.FINE, "proxy connection {0}: {1} ended the connection with an error", new Object[] {id, b});
            nextClientSeq = Frames.seq(frame) + 1;
            writeRelayed();
            client.write(frame);
            closeClient();
            return;
        }
        if (b != backend || phase != Phase.BUSY) {
            LOG.log(Level.FINE, "proxy connection {0}: unexpected packet from {1}", new Object[] {id, b});
            frame.release();
            if (b == backend && phase != Phase.CLOSED) {
                b.close(); // out of step with the compute node: treated as its failure
            }
            return;
        }
        boolean done;
        try {
            done = tracker.feed(frame);
        } catch (IllegalStateException e) {
            LOG.log(Level.WARNING, "proxy connection " + id + ": " + b + " broke the protocol: " + e.getMessage());
            frame.release();
            sendError(nextClientSeq, MysqlException.of(MysqlError.CN_LOST_STATEMENT));
            closeClient();
            return;
        }
        if (tracker.packets() == 1 && (command.payload()[0] & 0xff) == Commands.STMT_PREPARE && !tracker.failed()) {
            int clientId = state.prepared(text(command.payload()), tracker.parameters(), tracker.statementId());
            frame.setIntLE(frame.readerIndex() + 5, clientId);
        }
        nextClientSeq = Frames.seq(frame) + 1;
        relayed++;
        relay(frame);
        if (done) {
            flushRelayed();
            complete();
        }
    }

    @Override
    public void readComplete(Backend b) {
        if (b == backend && relayed > 0) {
            flushRelayed();
        }
    }

    private void relay(ByteBuf frame) {
        int n = frame.readableBytes();
        if (toClient != null && toClient.maxWritableBytes() < n) {
            writeRelayed();
        }
        if (n > RELAY_BUFFER_MAX) { // a big packet goes as it is
            client.write(frame);
            return;
        }
        if (toClient == null) {
            toClient = client.alloc().directBuffer(Math.max(n, RELAY_BUFFER_START), RELAY_BUFFER_MAX);
        }
        toClient.writeBytes(frame);
        frame.release();
    }

    /** Writes what {@link #relay} gathered, so that whatever is written next goes after it. */
    private void writeRelayed() {
        if (toClient != null) {
            ByteBuf out = toClient;
            toClient = null;
            client.write(out);
        }
    }

    private void flushRelayed() {
        writeRelayed();
        client.flush();
    }

    @Override
    public void closed(Backend b) {
        if (restore != null && b == restore.backend) {
            restore = null;
            server.nodes().breaker().failed(b.endpoint());
            connectNext(); // phase is MOVING: try the next CN of the group
            return;
        }
        if (b != backend) {
            return;
        }
        server.nodes().detach(b.endpoint());
        backend = null;
        published = null;
        if (phase == Phase.CLOSED) {
            return;
        }
        LOG.log(Level.INFO, "CAIRN0302W: proxy connection {0} lost {1}", new Object[] {id, b});
        server.nodes().breaker().failed(b.endpoint()); // most likely it died: new sessions skip it for a while
        boolean inTransaction = state.inTransaction();
        state.status(state.status() & ~(ServerStatus.IN_TRANS | ServerStatus.IN_TRANS_READONLY));
        if (phase == Phase.BUSY) {
            tracker = null;
            phase = Phase.IDLE;
            if (relayed == 0 && !inTransaction && repeatable()) {
                pending.addFirst(command); // a read that had not answered yet: run it on the next CN
            } else if (relayed == 0) {
                MysqlError lost = !inTransaction ? MysqlError.CN_LOST_STATEMENT
                        : mayCommit() ? MysqlError.CN_LOST_COMMIT : MysqlError.CN_LOST_TRANSACTION;
                sendError(nextClientSeq, MysqlException.of(lost));
                client.flush();
            } else {
                closeClient(); // half an answer went out: the client cannot be told in protocol terms
                return;
            }
            command = null;
            drive();
        } else if (phase == Phase.IDLE) {
            transactionLost = inTransaction;
        }
    }

    /** Whether the command in flight may have committed the session's transaction (COMMIT, DDL, ...). */
    private boolean mayCommit() {
        int cmd = command.payload()[0] & 0xff;
        return switch (cmd) {
            case Commands.QUERY -> SessionStatement.mayCommit(text(command.payload()));
            case Commands.STMT_EXECUTE -> executing == null || SessionStatement.mayCommit(executing.sql);
            default -> false;
        };
    }

    /** Whether the command in flight may run again elsewhere: it reads and changes nothing. */
    private boolean repeatable() {
        int cmd = command.payload()[0] & 0xff;
        return switch (cmd) {
            case Commands.QUERY -> statement != null && statement.kind() == SessionStatement.Kind.READ;
            case Commands.STMT_EXECUTE -> executing != null
                    && SessionStatement.classify(executing.sql).kind() == SessionStatement.Kind.READ;
            case Commands.PING, Commands.INIT_DB, Commands.FIELD_LIST, Commands.STMT_PREPARE, Commands.STATISTICS -> true;
            default -> false;
        };
    }

    // ---- proxy shutdown ----

    /** The proxy is stopping: the session ends now if it is outside a transaction, else when it ends. */
    void shutdown() {
        shuttingDown = true;
        drive();
    }

    /** The grace period is over: the session ends now, its transaction (if any) rolled back by the CN. */
    void shutdownNow() {
        if (phase == Phase.CLOSED) {
            return;
        }
        if (phase == Phase.BUSY && relayed > 0) {
            closeClient(); // half an answer went out: nothing more can be said in protocol terms
        } else if (phase == Phase.BUSY) {
            sendError(nextClientSeq, MysqlException.of(MysqlError.SERVER_SHUTDOWN));
            closeClient();
        } else {
            endForShutdown();
        }
    }

    /**
     * Tells the client ERR 1053 and closes: as the answer to a command waiting its turn, else unasked
     * (sequence 0) as MySQL does at shutdown: MariaDB Connector/J reads it as the answer to its next command
     * (Connector/J drops unread input before a command and sees only the closed connection).
     */
    private void endForShutdown() {
        Packet waiting = pending.poll();
        sendError(waiting == null ? 0 : waiting.lastSeq() + 1, MysqlException.of(MysqlError.SERVER_SHUTDOWN));
        closeClient();
    }

    // ---- moving ----

    /** Asks the session to leave its CN (drained, group changed); it goes at its next transaction boundary. */
    void requestMove() {
        if (phase == Phase.CLOSED || backend == null) {
            return;
        }
        rebalancing = false; // a required move, whatever the load
        if (!moveWanted) {
            moveWanted = true;
            drive();
        }
    }

    /**
     * The session's CN is out of the cluster's member list: if a command has waited on it for {@link
     * #STUCK_NANOS} without a byte of answer, its connection is dropped as if it had broken (see {@link #closed}).
     * Only then: membership also loses healthy members for seconds while it elects a new master, and their
     * sessions, which get their answers, must not be cut.
     */
    void computeNodeLeft(String endpoint) {
        Backend b = backend;
        if (b != null && b.endpoint().equals(endpoint) && phase == Phase.BUSY && relayed == 0
                && System.nanoTime() - sentNanos > STUCK_NANOS) {
            LOG.log(Level.INFO, "CAIRN0305W: proxy connection {0}: {1} left the cluster and has not answered for {2}"
                    + " ms; dropping the connection", new Object[] {id, b, (System.nanoTime() - sentNanos) / 1_000_000});
            b.abandon();
        }
    }

    /** Asks the session to move to a less loaded CN of its group at its next transaction boundary. */
    void requestRebalance() {
        if (phase == Phase.CLOSED || backend == null || moveWanted) {
            return;
        }
        moveWanted = true;
        rebalancing = true;
        drive();
    }

    /** Whether the session may be asked to move for the load: logged in, no move pending, no transaction open. */
    boolean rebalanceCandidate() {
        SessionState st = state;
        return !moveWanted && published != null && st != null && !st.inTransaction();
    }

    /** Whether moving now would leave the CNs of the group more even: the least loaded has two fewer. */
    private boolean evensLoad() {
        ComputeNodes.Cn best = server.nodes().pick(routing.group(), Set.of(backend.endpoint()));
        return best != null && server.nodes().sessions(best.endpoint()) + 1 < server.nodes().sessions(backend.endpoint());
    }

    /** What the proxy's connection list shows of the session; null before its login. */
    ProxySessions.SessionView view() {
        GroupRules.Routing r = routing;
        SessionState st = state;
        if (r == null || st == null) {
            return null;
        }
        return new ProxySessions.SessionView(id, r.user(), r.group(), computeNode(), st.inTransaction());
    }

    /** The group the session belongs to, or null before its login. */
    String group() {
        GroupRules.Routing r = routing;
        return r == null ? null : r.group();
    }

    /** The endpoint of the CN the session is on, or null. */
    String computeNode() {
        Backend b = published;
        return b == null ? null : b.endpoint();
    }

    /**
     * Whether the session's CN no longer serves its group (drained, group changed, gone).
     *
     * @param serving group of each non-draining CN endpoint
     */
    boolean misplaced(Map<String, String> serving) {
        Backend b = published;
        GroupRules.Routing r = routing;
        return b != null && r != null && !r.group().equals(serving.get(b.endpoint()));
    }

    private void startMove() {
        moveStartNanos = System.nanoTime();
        moveSteps.setLength(0);
        phase = Phase.MOVING;
        moveWanted = false;
        rebalancing = false;
        tried.clear();
        if (backend != null) {
            tried.add(backend.endpoint());
        }
        connectNext();
    }

    private void moveStep(String step) {
        if (phase == Phase.MOVING && moveSteps.length() < 500) {
            moveSteps.append(" [").append((System.nanoTime() - moveStartNanos) / 1_000_000).append(" ms: ")
                    .append(step).append(']');
        }
    }

    private void moveFailed(MysqlException error) {
        tried.clear();
        phase = Phase.IDLE;
        if (backend != null) {
            LOG.log(Level.FINE, "proxy connection {0} stays on {1}: {2}", new Object[] {id, backend, error.getMessage()});
            drive(); // a drain with nowhere to go: try again later
            return;
        }
        Packet waiting = pending.poll();
        if (waiting != null) {
            int cmd = waiting.payload().length > 0 ? waiting.payload()[0] & 0xff : -1;
            if (cmd != Commands.STMT_CLOSE && cmd != Commands.STMT_SEND_LONG_DATA) {
                sendError(waiting.lastSeq() + 1, error);
                client.flush();
            }
        }
        drive();
    }

    /** Replays the session's state on a new CN, one command at a time, then switches to it. */
    private final class Restore {
        final Backend backend;
        private final java.util.Iterator<String> sets;
        private final java.util.Iterator<SessionState.Prepared> statements;
        private final boolean deprecateEof;
        private ResponseTracker step;
        private SessionState.Prepared preparing;
        private String what;

        Restore(Backend backend, SessionState state, boolean deprecateEof) {
            this.backend = backend;
            this.sets = new java.util.ArrayList<>(state.sets()).iterator();
            this.statements = state.statements().iterator();
            this.deprecateEof = deprecateEof;
        }

        void next() {
            if (sets.hasNext()) {
                what = sets.next();
                preparing = null;
                step = new ResponseTracker(ResponseTracker.Shape.RESULT, deprecateEof, 0);
                backend.send(0, command(Commands.QUERY, what));
            } else if (statements.hasNext()) {
                preparing = statements.next();
                what = "prepare " + preparing.sql;
                step = new ResponseTracker(ResponseTracker.Shape.PREPARE, deprecateEof, 0);
                backend.send(0, command(Commands.STMT_PREPARE, preparing.sql));
            } else {
                finish();
            }
        }

        void frame(ByteBuf frame) {
            boolean done;
            try {
                done = step.feed(frame);
            } catch (IllegalStateException e) {
                done = true;
            } finally {
                frame.release();
            }
            if (!done) {
                return;
            }
            if (step.failed()) {
                restore = null;
                backend.quit();
                moveFailed(MysqlException.of(MysqlError.SESSION_NOT_MOVABLE,
                        "'" + abbreviate(what) + "' failed there with error " + step.errorCode()));
                return;
            }
            if (preparing != null) {
                preparing.backendId = step.statementId();
                preparing.typesSent = false;
            }
            next();
        }

        private void finish() {
            restore = null;
            Backend old = ProxySession.this.backend;
            if (old != null) {
                server.nodes().detach(old.endpoint());
                ProxySession.this.backend = null;
                old.quit();
            }
            adopt(backend);
            long took = (System.nanoTime() - moveStartNanos) / 1_000_000;
            if (took > 1000) {
                moveStep("restored");
                LOG.log(Level.INFO, "CAIRN0303I: proxy connection {0} moved to {1} in {2} ms:{3}",
                        new Object[] {id, backend, took, moveSteps});
            } else {
                LOG.log(Level.INFO, "CAIRN0303I: proxy connection {0} moved to {1}", new Object[] {id, backend});
            }
            phase = Phase.IDLE;
            drive();
        }
    }

    // ---- KILL ----

    private void kill(byte[] payload, int cmd) {
        long target;
        boolean queryOnly;
        if (cmd == Commands.PROCESS_KILL) {
            if (payload.length < 5) {
                protocolError(nextClientSeq, "COM_PROCESS_KILL without an id");
                return;
            }
            target = Integer.toUnsignedLong(intAt(payload, 1));
            queryOnly = false;
        } else {
            target = Long.parseLong(statement.name());
            queryOnly = statement.queryOnly();
        }
        ProxySession victim = server.session(target);
        // the compute nodes' rule: root may kill any session, other users only their own
        if (victim == null || !"root".equals(routing.user()) && !routing.user().equals(victim.user())) {
            sendError(nextClientSeq, MysqlException.of(MysqlError.UNKNOWN_THREAD, target));
            client.flush();
            return;
        }
        Backend where = victim.backend();
        if (where != null) {
            server.killOnComputeNode(where, victim.user(), victim.clientAddress(), queryOnly, client.eventLoop());
        }
        if (!queryOnly) {
            victim.execute(victim::close);
            if (victim == this) {
                return;
            }
        }
        write(nextClientSeq, Responses.ok(0, 0, state.status(), 0, "", false).toByteArray());
        client.flush();
    }

    // ---- helpers ----

    private void protocolError(int seq, String why) {
        LOG.log(Level.FINE, "proxy connection {0}: {1}", new Object[] {id, why});
        sendError(seq, MysqlException.of(MysqlError.MALFORMED_PACKET));
        closeClient();
    }

    /** ERR 1156 (what MySQL answers a wrong sequence id) and close. */
    private void sequenceError(int seq, String why) {
        LOG.log(Level.FINE, "proxy connection {0}: {1}", new Object[] {id, why});
        sendError(seq, MysqlException.of(MysqlError.NET_PACKETS_OUT_OF_ORDER));
        closeClient();
    }

    private void sendError(int seq, MysqlException error) {
        write(seq, Responses.error(error).toByteArray());
    }

    private void write(int seq, byte[] payload) {
        writeRelayed();
        client.write(Backend.frames(seq, payload));
    }

    private void closeClient() {
        phase = Phase.CLOSED;
        writeRelayed();
        close();
    }

    /** Ends the session: the CN connection is quit, the client connection closed. Idempotent. */
    void close() {
        phase = Phase.CLOSED;
        Backend b = backend;
        backend = null;
        published = null;
        if (b != null) {
            server.nodes().detach(b.endpoint());
            b.quit();
        }
        if (candidate != null) {
            candidate.close();
            candidate = null;
        }
        if (restore != null) {
            restore.backend.close();
            restore = null;
        }
        pending.clear();
        writeRelayed(); // (released by the channel when it is closed)
        if (client != null && client.isActive()) {
            LingeringClose.close(client); // the client reads the last ERR even if it sent more after it
        }
        if (registered) {
            registered = false;
            server.unregister(this);
        }
        if (userConnections > 0) {
            userConnections = 0;
            server.userDisconnected(routing.user());
        }
    }

    private static byte[] command(int cmd, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        byte[] payload = new byte[bytes.length + 1];
        payload[0] = (byte) cmd;
        System.arraycopy(bytes, 0, payload, 1, bytes.length);
        return payload;
    }

    private static String text(byte[] payload) {
        return new String(payload, 1, payload.length - 1, StandardCharsets.UTF_8);
    }

    private static int intAt(byte[] b, int at) {
        return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8 | (b[at + 2] & 0xff) << 16 | (b[at + 3] & 0xff) << 24;
    }

    private static void setIntAt(byte[] b, int at, int v) {
        for (int i = 0; i < 4; i++) {
            b[at + i] = (byte) (v >>> (8 * i));
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 100 ? s : s.substring(0, 100) + "…";
    }
}
